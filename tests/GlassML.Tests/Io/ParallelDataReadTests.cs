using System.Globalization;
using System.Text;
using GlassML.Io;
using GlassML.Structure;

namespace GlassML.Tests.Io;

/// <summary>
/// A LAMMPS data file read with <see cref="ReadOptions.Threads"/> &gt; 1 (Atoms and Velocities parsed in blocks on worker
/// threads) gives the values the generator wrote and the serial read gives, bit for bit, and every error of the serial read
/// with the same FILE:LINE (the line numbers are those of the generator, counted independently), wherever in the section
/// (first or second thread's range, a later block) the bad line lies; with CRLF line ends, comments and blank lines.
/// </summary>
public class ParallelDataReadTests
{
    private const int Atoms = 40_000; // ≈ 3.4 MB of atom lines: several read-ahead blocks

    private sealed record Generated(string Text, long[] Ids, int[] Types, double[][] Pos, int[][] Img, double[][] Vel, long AtomsFirstLine, long VelocitiesFirstLine);

    // Atoms in a shuffled id order, with image flags, comments, blank lines; velocities in another order.
    private static Generated Make(int n, string eol, int seed = 7, bool noise = true, bool velocitiesInAtomsOrder = false)
    {
        var rng = new Random(seed);
        var inv = CultureInfo.InvariantCulture;
        var ids = Enumerable.Range(1, n).Select(i => (long)i).OrderBy(_ => rng.Next()).ToArray();
        var types = ids.Select(_ => rng.Next(1, 3)).ToArray();
        double[][] pos = [new double[n], new double[n], new double[n]];
        int[][] img = [new int[n], new int[n], new int[n]];
        double[][] vel = [new double[n], new double[n], new double[n]];
        for (int k = 0; k < 3; k++)
            for (int i = 0; i < n; i++)
            {
                pos[k][i] = rng.NextDouble() * 120 - 0.5;
                img[k][i] = rng.Next(-2, 3);
                vel[k][i] = (rng.NextDouble() - 0.5) * Math.Pow(10, rng.Next(-6, 2));
            }
        var sb = new StringBuilder();
        long line = 0;
        void L(string s) { sb.Append(s).Append(eol); line++; }
        L("LAMMPS data file via write_data, timestep = 12");
        L("");
        L(string.Create(inv, $"{n} atoms"));
        L("2 atom types");
        L("");
        L("-0.5 119.5 xlo xhi");
        L("-0.5 119.5 ylo yhi");
        L("-0.5 119.5 zlo zhi");
        L("");
        L("Masses");
        L("");
        L("1 63.546");
        L("2 91.224");
        L("");
        L("Atoms # atomic");
        L("");
        long atomsFirst = line + 1;
        for (int i = 0; i < n; i++)
        {
            if (noise && i > 0 && i % 997 == 0) L("   # a comment line");
            if (noise && i > 0 && i % 1409 == 0) L("  \t ");
            string tail = noise && i % 13 == 0 ? " # note" : "";
            L(string.Create(inv, $"{ids[i]} {types[i]} {pos[0][i]:R} {pos[1][i]:R}\t{pos[2][i]:R} {img[0][i]} {img[1][i]} {img[2][i]}{tail}"));
        }
        L("");
        L("Velocities");
        L("");
        long velFirst = line + 1;
        var order = velocitiesInAtomsOrder ? Enumerable.Range(0, n).ToArray() : Enumerable.Range(0, n).OrderBy(_ => rng.Next()).ToArray();
        foreach (int a in order)
        {
            if (noise && a % 1201 == 0) L("");
            L(string.Create(inv, $"{ids[a]} {vel[0][a]:R} {vel[1][a]:R} {vel[2][a]:R}"));
        }
        return new Generated(sb.ToString(), ids, types, pos, img, vel, atomsFirst, velFirst);
    }

    private static readonly ReadOptions CuZr = new() { TypeNames = new Dictionary<int, string> { [1] = "Cu", [2] = "Zr" } };

    private static Frame Read(string path, int threads) => LammpsDataReader.Read(path, CuZr.WithThreads(threads));

    private static string Temp(string text)
    {
        string p = Path.Combine(Path.GetTempPath(), $"glassml-pread-{Guid.NewGuid():N}.data");
        File.WriteAllText(p, text);
        return p;
    }

    private static void AssertBits(double[] expected, double[] actual)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
            if (BitConverter.DoubleToInt64Bits(expected[i]) != BitConverter.DoubleToInt64Bits(actual[i]))
                Assert.Fail($"element {i}: {expected[i]:R} != {actual[i]:R}");
    }

    [Theory]
    [InlineData("\n", 2)]
    [InlineData("\r\n", 2)]
    [InlineData("\n", 3)]
    public void ValuesAreTheGeneratorsAndTheSerialReadsBitForBit(string eol, int threads)
    {
        var g = Make(Atoms, eol);
        string p = Temp(g.Text);
        try
        {
            var serial = Read(p, 1);
            var par = Read(p, threads);
            foreach (var f in new[] { serial, par })
            {
                Assert.Equal(g.Ids, f.Ids);
                Assert.Equal(12, f.Timestep);
                Assert.Equal(g.Types.Select(t => t == 1 ? "Cu" : "Zr"), f.SpeciesIndex.Select(s => f.Species[s].Name));
                AssertBits(g.Pos[0], f.X); AssertBits(g.Pos[1], f.Y); AssertBits(g.Pos[2], f.Z);
                for (int k = 0; k < 3; k++) Assert.Equal(g.Img[k], f.Images![k]);
                AssertBits(g.Vel[0], f.Columns["vx"]); AssertBits(g.Vel[1], f.Columns["vy"]); AssertBits(g.Vel[2], f.Columns["vz"]);
            }
            Assert.Equal(serial.SpeciesIndex, par.SpeciesIndex);
        }
        finally { File.Delete(p); }
    }

    [Fact]
    public void TypesMetInTheFileRegisterInTheSerialOrder()
    {
        // no type map and no 'atom types' line: species are registered as types appear, which the worker threads leave to
        // the serial code; the table must come out as in a one-thread read
        var g = Make(Atoms, "\n", noise: false);
        string text = g.Text.Replace("2 atom types\n", "", StringComparison.Ordinal).Replace("Masses\n\n1 63.546\n2 91.224\n\n", "", StringComparison.Ordinal);
        string p = Temp(text);
        try
        {
            var a = LammpsDataReader.Read(p, new ReadOptions { Threads = 1 });
            var b = LammpsDataReader.Read(p, new ReadOptions { Threads = 2 });
            Assert.Equal(a.Species.All.Select(s => s.Name), b.Species.All.Select(s => s.Name));
            Assert.Equal(a.SpeciesIndex, b.SpeciesIndex);
            Assert.Equal(g.Types.Select(t => t.ToString(CultureInfo.InvariantCulture)), b.SpeciesIndex.Select(s => b.Species[s].Name));
        }
        finally { File.Delete(p); }
    }

    public static TheoryData<string, int, string, string> Faults()
    {
        var d = new TheoryData<string, int, string, string>();
        // (section, data line index, what replaces the line, expected problem)
        foreach (int at in new[] { 1, 5_000, Atoms / 2 + 3, 29_999, Atoms - 1 })
        {
            d.Add("atoms", at, "{id} 1 1.0 2.0 zz 0 0 0", "z coordinate: 'zz' is not a number");
            d.Add("atoms", at, "{id} 3 1.0 2.0 3.0 0 0 0", "atom type 3 outside 1..2");
            d.Add("atoms", at, "{id} 1 1.0 2.0 3.0 0 0", "expected 8 fields like the first Atoms line, found 7");
            d.Add("atoms", at, "{id} 1 1.0 nan 3.0 0 0 0", "y coordinate: nan is not a finite number");
            d.Add("atoms", at, "1 1 1.0 2.0 3.0 0 0 0", "duplicate atom id 1");
            d.Add("velocities", at, "{id} 0.1 x 0.3", "velocity: 'x' is not a number");
            d.Add("velocities", at, "99999999 0.1 0.2 0.3", "velocity for unknown atom id 99999999");
            d.Add("velocities", at, "{first} 0.1 0.2 0.3", "duplicate velocity for atom id {first}");
        }
        d.Add("atoms", Atoms / 2, "Bonds", "Atoms section has 20000 lines but the header announces 40000 atoms");
        return d;
    }

    [Theory]
    [MemberData(nameof(Faults))]
    public void ErrorsNameTheSameLineAsTheSerialRead(string section, int at, string replacement, string problem)
    {
        var g = Make(Atoms, "\r\n");
        var lines = g.Text.Split("\r\n").ToList();
        // the file line of data line `at` of the section (skipping the comment and blank lines the generator put in)
        long first = section == "atoms" ? g.AtomsFirstLine : g.VelocitiesFirstLine;
        int k = (int)first - 1, seen = -1;
        for (; ; k++)
        {
            string c = lines[k].Split('#')[0].Trim();
            if (c.Length > 0 && ++seen == at) break;
        }
        long id = long.Parse(lines[k].Split(' ')[0], CultureInfo.InvariantCulture);
        string firstVelocityId = lines[(int)g.VelocitiesFirstLine - 1].Split(' ')[0];
        lines[k] = replacement.Replace("{id}", id.ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal).Replace("{first}", firstVelocityId, StringComparison.Ordinal);
        problem = problem.Replace("{first}", firstVelocityId, StringComparison.Ordinal);
        string p = Temp(string.Join("\r\n", lines));
        try
        {
            long line = k + 1;
            // a repeated atom id is reported at the line of the repeat (index-based, as the serial reader counts it) — here the
            // generator put comment/blank lines before it, so only the message and the agreement of both reads are checked
            var e1 = Assert.Throws<InputFormatException>(() => Read(p, 1));
            var e2 = Assert.Throws<InputFormatException>(() => Read(p, 2));
            Assert.Equal(e1.Message, e2.Message);
            Assert.Contains(problem, e2.Message, StringComparison.Ordinal);
            if (!problem.StartsWith("duplicate atom id", StringComparison.Ordinal))
                Assert.StartsWith($"{p}:{line}:", e2.Message, StringComparison.Ordinal);
        }
        finally { File.Delete(p); }
    }

    [Theory]
    [InlineData(1, "{id} 0.1 x 0.3", "velocity: 'x' is not a number", 0)]
    [InlineData(17_000, "{id} 0.1 x 0.3", "velocity: 'x' is not a number", 0)]
    [InlineData(17_000, "99999999 0.1 0.2 0.3", "velocity for unknown atom id 99999999", 0)]
    [InlineData(1, "{first} 0.1 0.2 0.3", "duplicate velocity for atom id {first}", 0)]
    [InlineData(Atoms - 1, "{first} 0.1 0.2 0.3", "duplicate velocity for atom id {first}", 0)]
    [InlineData(3, "{later} 0.1 0.2 0.3", "duplicate velocity for atom id {later}", 7)]
    [InlineData(25_000, "{later} 0.1 0.2 0.3", "duplicate velocity for atom id {later}", 7)]
    [InlineData(25_000, "{later} 0.1 0.2 0.3", "duplicate velocity for atom id {later}", 9_000)]
    public void VelocityErrorsInTheAtomsOrderNameTheSameLineAsTheSerialRead(int at, string replacement, string problem, int laterBy)
    {
        // velocity line k gives atom k (as LAMMPS writes them) up to the bad line; {later}: the atom of line at + laterBy, whose
        // own line then repeats it
        var g = Make(Atoms, "\n", noise: false, velocitiesInAtomsOrder: true);
        var lines = g.Text.Split("\n").ToList();
        int k = (int)g.VelocitiesFirstLine - 1 + at;
        string Id(int line) => lines[(int)g.VelocitiesFirstLine - 1 + line].Split(' ')[0];
        string first = Id(0), later = Id(at + laterBy);
        lines[k] = replacement.Replace("{id}", Id(at), StringComparison.Ordinal).Replace("{first}", first, StringComparison.Ordinal).Replace("{later}", later, StringComparison.Ordinal);
        problem = problem.Replace("{first}", first, StringComparison.Ordinal).Replace("{later}", later, StringComparison.Ordinal);
        long line = k + 1 + laterBy;
        string p = Temp(string.Join("\n", lines));
        try
        {
            foreach (int threads in new[] { 1, 2 })
            {
                var e = Assert.Throws<InputFormatException>(() => Read(p, threads));
                Assert.Equal($"{p}:{line}: {problem}", e.Message);
            }
        }
        finally { File.Delete(p); }
    }

    [Fact]
    public void VelocitiesInTheAtomsOrderReadAsTheGeneratorWroteThem()
    {
        var g = Make(Atoms, "\n", velocitiesInAtomsOrder: true);
        string p = Temp(g.Text);
        try
        {
            foreach (int threads in new[] { 1, 2 })
            {
                var f = Read(p, threads);
                double[][] vel = [f.Columns["vx"], f.Columns["vy"], f.Columns["vz"]];
                for (int k = 0; k < 3; k++)
                    for (int i = 0; i < Atoms; i++)
                        Assert.Equal(BitConverter.DoubleToInt64Bits(g.Vel[k][i]), BitConverter.DoubleToInt64Bits(vel[k][i]));
            }
        }
        finally { File.Delete(p); }
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void TruncatedAndOverlongSectionsReportAsTheSerialRead(bool truncated)
    {
        var g = Make(Atoms, "\n", noise: false);
        string text = truncated
            ? g.Text[..g.Text.IndexOf("\nVelocities", StringComparison.Ordinal)].TrimEnd('\n') // file ends inside... Atoms is complete: cut the velocities
            : g.Text.Replace("\n\nVelocities", "\n1 1 0 0 0 0 0 0\n\nVelocities", StringComparison.Ordinal);
        if (truncated) text = text[..text.LastIndexOf('\n')]; // drop the last atom line: the Atoms section ends early
        string p = Temp(text);
        try
        {
            var e1 = Assert.Throws<InputFormatException>(() => Read(p, 1));
            var e2 = Assert.Throws<InputFormatException>(() => Read(p, 2));
            Assert.Equal(e1.Message, e2.Message);
            long expectLine = truncated ? g.AtomsFirstLine + Atoms - 1 : g.AtomsFirstLine + Atoms;
            Assert.StartsWith($"{p}:{expectLine}:", e2.Message, StringComparison.Ordinal);
            Assert.Contains(truncated ? $"file ends after {Atoms - 1} of {Atoms} lines of the Atoms section" : "more lines in the Atoms section than the header announces", e2.Message, StringComparison.Ordinal);
        }
        finally { File.Delete(p); }
    }

    [Fact]
    public void AFileWithoutAFinalLineBreakReadsTheSame()
    {
        var g = Make(Atoms, "\n", noise: false);
        string p = Temp(g.Text.TrimEnd('\n'));
        try
        {
            var f = Read(p, 2);
            AssertBits(g.Vel[2], f.Columns["vz"]);
            Assert.Equal(g.Ids, f.Ids);
        }
        finally { File.Delete(p); }
    }
}
