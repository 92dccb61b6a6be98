using GlassML.Descriptors;
using GlassML.Neighbors;
using GlassML.Structure;

namespace GlassML.Tests.Descriptors;

public class AsfTests
{
    [Fact]
    public void G4AndG5MatchBruteForceTripleLoop()
    {
        var g = SoapTestData.Glass;
        double rc = 5.0;
        var opt = new AngularStructureFunctionOptions { Cutoff = rc, Xi = [1.5, 3.0], Lambda = [-1, 1], Zeta = [1, 2, 4.5], Kinds = [AngularFunctionKind.G4, AngularFunctionKind.G5] };
        var asf = new AngularStructureFunctions(opt);
        var res = asf.Compute(g, new NeighborSearch().Ball(g, rc));
        Assert.Equal(2 * 3 * 2 * 2 * 3, res.FeatureCount);
        Assert.Equal("asf_g4_Cu-Cu_xi1.50_lam-1_zeta1", res.Names[0]);
        static double Fc(double r, double rc) => r <= rc ? 0.5 * (Math.Cos(Math.PI * r / rc) + 1) : 0;
        string[] sp = ["Cu", "Zr"];
        for (int i = 0; i < 25; i++)
        {
            var nb = SoapBruteForce.Neighbours(g, i, rc);
            var expect = new Dictionary<string, double>();
            foreach (var name in res.Names) expect[name] = 0;
            for (int a = 0; a < nb.Count; a++)
            for (int b = a + 1; b < nb.Count; b++)
            {
                var (ja, xa, ya, za, ra) = nb[a];
                var (jb, xb, yb, zb, rb) = nb[b];
                int s1 = Math.Min(g.SpeciesIndex[ja], g.SpeciesIndex[jb]), s2 = Math.Max(g.SpeciesIndex[ja], g.SpeciesIndex[jb]);
                double cos = (xa * xb + ya * yb + za * zb) / (ra * rb);
                double rab = Math.Sqrt((xa - xb) * (xa - xb) + (ya - yb) * (ya - yb) + (za - zb) * (za - zb));
                foreach (var xi in opt.Xi)
                foreach (var lam in opt.Lambda)
                foreach (var z in opt.Zeta)
                {
                    double eta = 1 / (xi * xi), ang = Math.Pow(2, 1 - z) * Math.Pow(1 + lam * cos, z);
                    string tail = $"{sp[s1]}-{sp[s2]}_xi{xi:0.00}_lam{(lam > 0 ? "+1" : "-1")}_zeta{z:0.##}";
                    expect["asf_g4_" + tail] += ang * Math.Exp(-eta * (ra * ra + rb * rb + rab * rab)) * Fc(ra, rc) * Fc(rb, rc) * Fc(rab, rc);
                    expect["asf_g5_" + tail] += ang * Math.Exp(-eta * (ra * ra + rb * rb)) * Fc(ra, rc) * Fc(rb, rc);
                }
            }
            for (int f = 0; f < res.FeatureCount; f++)
            {
                double e = expect[res.Names[f]], v = res[i, f];
                Assert.True(Math.Abs(v - e) <= 1e-11 * (1 + Math.Abs(e)), $"atom {i} {res.Names[f]}: {v} vs {e}");
            }
        }
    }

    [Fact]
    public void EquilateralTriangleHasTheClosedForm()
    {
        // centre + two neighbours at distance d with 60° between them: one triplet, cos = 1/2, r_jk = d
        double d = 2.0, rc = 4.0;
        var box = new Box(Vec3.Zero, new Vec3(30, 0, 0), new Vec3(0, 30, 0), new Vec3(0, 0, 30), false, false, false);
        // two far-away spectator atoms spread the non-periodic extent along every axis (they are beyond r_c of the triangle)
        var f = new Frame(box, new SpeciesTable(["A"]), [1, 2, 3, 4, 5], [0, 0, 0, 0, 0],
            [10, 10 + d, 10 + d / 2, 1, 29], [10, 10, 10 + d * Math.Sqrt(3) / 2, 1, 29], [10, 10, 10, 1, 29]);
        var asf = new AngularStructureFunctions(new AngularStructureFunctionOptions { Cutoff = rc, Xi = [2.0], Lambda = [1], Zeta = [2] });
        var res = asf.Compute(f, new NeighborSearch().Ball(f, rc));
        double fc = 0.5 * (Math.Cos(Math.PI * d / rc) + 1);
        double expect = Math.Pow(2, -1) * Math.Pow(1.5, 2) * Math.Exp(-3 * d * d / 4.0) * fc * fc * fc;
        Assert.Equal(expect, res[0, 0], 14);
    }
}
