using System.Globalization;
using GlassML.Structure;

namespace GlassML.Tests.Descriptors;

/// <summary>
/// Readers for the SRO fixtures: LAMMPS data files (through the library reader) and a tiny custom-dump column
/// reader. Types 1, 2 become species "Cu", "Zr".
/// </summary>
internal static class SroFixtures
{
    public static string PathOf(string name) => Path.Combine(AppContext.BaseDirectory, "fixtures", "sro", name);

    private static string[] Lines(string name) => Fixtures.ReadLines("sro", name);

    private static double D(string s) => double.Parse(s, NumberStyles.Float, CultureInfo.InvariantCulture);

    /// <summary>Reads a LAMMPS data file into a frame (atoms in file order; types 1, 2 → Cu, Zr) with the library reader (itself checked against ASE).</summary>
    public static Frame ReadData(string name) =>
        GlassML.Io.LammpsDataReader.Read(PathOf(name), new GlassML.Io.ReadOptions { TypeNames = new Dictionary<int, string> { [1] = "Cu", [2] = "Zr" } });

    /// <summary>Reads the per-atom columns of a one-frame dump: id → values of the requested columns.</summary>
    public static Dictionary<long, double[]> ReadDump(string name, params string[] columns)
    {
        var lines = Lines(name);
        int k = Array.FindIndex(lines, l => l.StartsWith("ITEM: ATOMS", StringComparison.Ordinal));
        var head = lines[k].Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(2).ToList();
        var pos = columns.Select(c => head.IndexOf(c)).ToArray();
        int idCol = head.IndexOf("id");
        var result = new Dictionary<long, double[]>();
        for (k++; k < lines.Length; k++)
        {
            var t = lines[k].Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (t.Length < head.Count) continue;
            result[long.Parse(t[idCol], CultureInfo.InvariantCulture)] = pos.Select(p => D(t[p])).ToArray();
        }
        return result;
    }
}
