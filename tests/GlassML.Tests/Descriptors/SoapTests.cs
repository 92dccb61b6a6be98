using System.Globalization;
using GlassML.Descriptors;
using GlassML.Neighbors;
using GlassML.Structure;
using Xunit.Abstractions;

namespace GlassML.Tests.Descriptors;

public class SoapTests(ITestOutputHelper output)
{
    private static readonly string[] CuZr = ["Cu", "Zr"];

    private double MaxErrorVsReference(Soap soap, string refFile)
    {
        var glass = SoapTestData.Glass;
        var nl = new NeighborSearch().Ball(glass, soap.RequiredCutoff);
        var res = soap.Compute(glass, nl);
        var reference = SoapTestData.Reference(refFile);
        Assert.Equal(reference.First().Value.Length, res.FeatureCount);
        double worst = 0;
        foreach (var (id, row) in reference)
        {
            int i = Array.IndexOf(glass.Ids, id);
            worst = Math.Max(worst, SoapTestData.RowRelativeError(res.Row(i), row));
        }
        output.WriteLine($"{refFile}: max row-relative error {worst:E3} over {reference.Count} atoms");
        return worst;
    }

    [Fact]
    public void MatchesDScribe_R5N8L6_OwnBasis()
    {
        var soap = new Soap(new SoapOptions { RCut = 5, NMax = 8, LMax = 6, Sigma = 0.5, Species = CuZr });
        Assert.Equal(952, soap.FeatureCount);
        Assert.True(MaxErrorVsReference(soap, "soap_r5_n8_l6_subset.csv.gz") < 1e-8);
    }

    [Fact]
    public void MatchesDScribe_R5N11L12_OwnBasis()
    {
        var soap = new Soap(new SoapOptions { RCut = 5, NMax = 11, LMax = 12, Sigma = 0.5, Species = CuZr });
        Assert.Equal(3289, soap.FeatureCount);
        Assert.True(MaxErrorVsReference(soap, "soap_r5_n11_l12_subset.csv.gz") < 1e-5);
    }

    [Fact]
    public void MatchesDScribe_R5N11L12_LoadedBasis()
    {
        var basis = SoapGtoBasis.Load(SoapTestData.Path("basis_r5_n11_l12.txt.gz"));
        var soap = new Soap(new SoapOptions { RCut = 5, NMax = 11, LMax = 12, Sigma = 0.5, Species = CuZr, Basis = basis });
        Assert.True(MaxErrorVsReference(soap, "soap_r5_n11_l12_subset.csv.gz") < 1e-9);
    }
}
