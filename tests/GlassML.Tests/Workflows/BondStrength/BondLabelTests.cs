using System.Globalization;
using GlassML.Io;
using GlassML.Structure;
using GlassML.Workflows.BondStrength;

namespace GlassML.Tests.Workflows.BondStrength;

public class BondLabelTests
{
    private static double D(string s) => double.Parse(s, CultureInfo.InvariantCulture);

    private static Frame Cell() => Fixtures.ReadLammpsData(["Cu", "Zr"], "bonds", "lobster_cell.data");

    private static LabelledBonds Labels(string file)
    {
        string path = Fixtures.Path("bonds", file);
        return Icohplist.Match(path, Icohplist.Read(path), Cell(), 0);
    }

    [Theory]
    [InlineData("icohplist_v2.lobster")]
    [InlineData("icohplist_v4.lobster")]
    [InlineData("icohplist_v5.lobster")]
    public void EveryLayoutGivesTheExpectedLabels(string file)
    {
        var l = Labels(file);
        var f = l.Bonds.Frame;
        var want = Fixtures.ReadLines("bonds", "icohp_expected.csv").Skip(1).Select(x => x.Split(',')).ToArray();
        Assert.Equal(want.Length, l.Values.Length);
        for (int k = 0; k < want.Length; k++)
        {
            Assert.Equal(long.Parse(want[k][0], CultureInfo.InvariantCulture), f.Ids[l.Bonds.I[k]]);
            Assert.Equal(long.Parse(want[k][1], CultureInfo.InvariantCulture), f.Ids[l.Bonds.J[k]]);
            Assert.True(Math.Abs(D(want[k][2]) - l.Bonds.Distance[k]) < 1e-12, $"row {k} distance");
            Assert.True(Math.Abs(D(want[k][3]) - l.Values[k]) < 1e-12, $"row {k} label {l.Values[k]} vs {want[k][3]}");
        }
    }

    [Fact]
    public void TheThreeLayoutsAgreeBondForBond()
    {
        var a = Labels("icohplist_v2.lobster"); var b = Labels("icohplist_v4.lobster"); var c = Labels("icohplist_v5.lobster");
        Assert.Equal(a.Values, b.Values); Assert.Equal(a.Values, c.Values);
        Assert.Equal(a.Bonds.ShiftA, c.Bonds.ShiftA); Assert.Equal(a.Bonds.ShiftC, b.Bonds.ShiftC);
        Assert.Equal(a.Bonds.Distance, c.Bonds.Distance);
    }

    private static string WriteMutated(string file, int line, Func<string, string> change)
    {
        var lines = File.ReadAllLines(Fixtures.Path("bonds", file));
        // the row of this pair in every spin block (same COHP#, atomMU, atomNU)
        string key = string.Join(' ', lines[line - 1].Split(' ', StringSplitOptions.RemoveEmptyEntries)[..3]);
        for (int k = 0; k < lines.Length; k++)
            if (string.Join(' ', lines[k].Split(' ', StringSplitOptions.RemoveEmptyEntries).Take(3)) == key) lines[k] = change(lines[k]);
        string tmp = Path.Combine(Path.GetTempPath(), $"ICOHPLIST-{Guid.NewGuid():N}.lobster");
        File.WriteAllLines(tmp, lines);
        return tmp;
    }

    private static InputFormatException Mutated(string file, int line, Func<string, string> change)
    {
        string tmp = WriteMutated(file, line, change);
        try { return Assert.Throws<InputFormatException>(() => Icohplist.Match(tmp, Icohplist.Read(tmp), Cell(), 0)); }
        finally { File.Delete(tmp); }
    }

    [Theory]
    [InlineData("icohplist_v2.lobster", 4)]
    [InlineData("icohplist_v4.lobster", 8)]
    [InlineData("icohplist_v5.lobster", 10)]
    public void WrongElementIndexOrDistanceNamesFileAndLine(string file, int line)
    {
        string text = File.ReadAllLines(Fixtures.Path("bonds", file))[line - 1];
        var t = text.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        Assert.DoesNotContain('_', t[1]); // a pair row, not an orbital row
        // wrong element: Cu5 → Zr5 (atom 5 is Cu)
        string mu = t[1], el = mu.StartsWith("Cu") ? "Zr" : "Cu";
        var e1 = Mutated(file, line, l => l.Replace(" " + mu + " ", " " + el + mu[2..] + " "));
        Assert.Equal(line, e1.Line); Assert.Contains("not " + el, e1.Message);
        // wrong index: an atom of the same element that is not at this distance
        int idx = int.Parse(mu[2..], CultureInfo.InvariantCulture), other = idx + 2 > 16 ? idx - 2 : idx + 2;
        var e2 = Mutated(file, line, l => l.Replace(" " + mu + " ", " " + mu[..2] + other + " "));
        Assert.Equal(line, e2.Line);
        Assert.EndsWith(".lobster", e2.File);
        // distance off by 0.01 Å
        string d = t[3];
        string moved = (D(d) + 0.01).ToString("F5", CultureInfo.InvariantCulture);
        var e3 = Mutated(file, line, l => l.Replace(d, moved));
        Assert.Equal(line, e3.Line);
        Assert.Contains("Å apart", e3.Message);
        // 1e-3 Å is within the 2e-3 Å tolerance
        string near = (D(d) + 0.001).ToString("F5", CultureInfo.InvariantCulture);
        string tmp = WriteMutated(file, line, l => l.Replace(d, near));
        try { Icohplist.Match(tmp, Icohplist.Read(tmp), Cell(), 0); } finally { File.Delete(tmp); }
    }

    [Fact]
    public void CsvLabelsRoundTripThroughTheWriter()
    {
        var l = Labels("icohplist_v5.lobster");
        string tmp = Path.Combine(Path.GetTempPath(), $"labels-{Guid.NewGuid():N}.csv");
        try
        {
            BondLabelCsv.Write(tmp, [l]);
            var r = BondLabelCsv.Read(tmp, Cell(), 0);
            Assert.Equal(l.Values, r.Values); Assert.Equal(l.Bonds.I, r.Bonds.I); Assert.Equal(l.Bonds.J, r.Bonds.J);
            Assert.Equal(l.Bonds.ShiftB, r.Bonds.ShiftB); Assert.Equal(l.Bonds.Distance, r.Bonds.Distance);
            // plain frame,id_i,id_j,value: the nearest image
            File.WriteAllText(tmp, "frame,id_i,id_j,value\n0,2,1,0.5\n0,99,1,0.5\n");
            var e = Assert.Throws<InputFormatException>(() => BondLabelCsv.Read(tmp, Cell(), 0));
            Assert.Equal(3, e.Line);
        }
        finally { File.Delete(tmp); }
    }

    [Fact]
    public void BondTableHoldsEveryPairOnceAsBruteForceFindsIt()
    {
        var f = Fixtures.GlassS1();
        var cut = BondCutoffs.Parse("Cu-Cu:3.3,Cu-Zr:3.6,Zr-Zr:3.9");
        var b = BondTable.Find(f, cut, 2);
        // brute force: all pairs i < j by id, minimum image (the box is longer than twice every cutoff)
        double lx = f.Box.A.X;
        Assert.True(lx > 2 * 3.9);
        var want = new List<(long, long, double)>();
        for (int i = 0; i < f.Count; i++)
            for (int j = 0; j < f.Count; j++)
            {
                if (f.Ids[i] >= f.Ids[j]) continue;
                double dx = f.X[j] - f.X[i], dy = f.Y[j] - f.Y[i], dz = f.Z[j] - f.Z[i];
                dx -= lx * Math.Round(dx / lx); dy -= f.Box.B.Y * Math.Round(dy / f.Box.B.Y); dz -= f.Box.C.Z * Math.Round(dz / f.Box.C.Z);
                double d = Math.Sqrt(dx * dx + dy * dy + dz * dz);
                string a = f.Species[f.SpeciesIndex[i]].Name, c = f.Species[f.SpeciesIndex[j]].Name;
                if (d < cut.Of(a, c)) want.Add((f.Ids[i], f.Ids[j], d));
            }
        want.Sort();
        Assert.Equal(want.Count, b.Count);
        for (int k = 0; k < b.Count; k++)
        {
            Assert.Equal(want[k].Item1, f.Ids[b.I[k]]); Assert.Equal(want[k].Item2, f.Ids[b.J[k]]);
            Assert.True(Math.Abs(want[k].Item3 - b.Distance[k]) < 1e-12);
            Assert.True(Math.Abs(BondLabelCsv.ImageDistance(f, b.I[k], b.J[k], b.ShiftA[k], b.ShiftB[k], b.ShiftC[k]) - b.Distance[k]) < 1e-12);
        }
        // three species: 6 pair types
        Assert.Equal(["A-A", "A-B", "A-C", "B-B", "B-C", "C-C"], BondTable.PairTypes(["A", "B", "C"]));
        Assert.Equal(4, BondTable.PairIndex(2, 1, 3));
    }

    [Fact]
    public void DefaultCutoffsAreTheFirstMinimaOfTheLammpsPartials()
    {
        var cut = BondCutoffs.FirstMinimum([Fixtures.GlassS1()], 2);
        // LAMMPS compute rdf 200 bins to 10 Å (0.05 Å, the same bins): columns r g11 c11 g12 c12 g21 c21 g22 c22
        var rows = Fixtures.ReadLines("glass-s1", "s1_cu50zr50_500.lammps-rdf.txt").Where(l => !l.StartsWith('#')).Skip(1)
            .Select(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(D).ToArray()).Take(BondCutoffs.RdfBins).ToArray();
        var r = rows.Select(x => x[1]).ToArray();
        Assert.Equal(BondCutoffs.FirstMinimumOf(r, rows.Select(x => x[2]).ToArray(), "Cu-Cu"), cut.Of("Cu", "Cu"), 12);
        Assert.Equal(BondCutoffs.FirstMinimumOf(r, rows.Select(x => x[4]).ToArray(), "Cu-Zr"), cut.Of("Cu", "Zr"), 12);
        Assert.Equal(BondCutoffs.FirstMinimumOf(r, rows.Select(x => x[8]).ToArray(), "Zr-Zr"), cut.Of("Zr", "Zr"), 12);
        Assert.InRange(cut.Of("Cu", "Zr"), 3.3, 4.2);
    }
}
