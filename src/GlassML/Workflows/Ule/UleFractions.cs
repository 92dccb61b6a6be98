using System.Globalization;
using CsvHelper;
using CsvHelper.Configuration;
using GlassML.Io;
using GlassML.Structure;

namespace GlassML.Workflows.Ule;

/// <summary>One sample's vector: the fraction of its atoms in each ULE (counts / N) and its energy per atom.</summary>
/// <param name="Sample">Sample name.</param>
/// <param name="File">Structure file as given.</param>
/// <param name="Frame">Frame index (−1 = last).</param>
/// <param name="Group">Cross-validation group.</param>
/// <param name="Role">train, test or apply.</param>
/// <param name="Atoms">Number of atoms N.</param>
/// <param name="EnergyPerAtom">Energy per atom (eV/atom), NaN when not given.</param>
/// <param name="Unassigned">Fraction of atoms below the threshold of every ULE.</param>
/// <param name="Fractions">Fraction per ULE.</param>
public sealed record UleSampleVector(string Sample, string File, int Frame, string Group, SampleRole Role, int Atoms, double EnergyPerAtom,
    double Unassigned, double[] Fractions);

/// <summary>
/// The fractions table (<c>fractions.csv</c>): columns <c>sample,file,frame,group,role,n,energy_per_atom,unassigned,ule_0…</c>;
/// doubles in shortest round-trip form; energy empty when unknown.
/// </summary>
public static class UleFractions
{
    private static readonly string[] Fixed = ["sample", "file", "frame", "group", "role", "n", "energy_per_atom", "unassigned"];

    /// <summary>
    /// Encodes samples one at a time (SOAP → assignment → counts / N); <paramref name="perAtom"/> receives each frame and its
    /// assignment (e.g. to write per-atom files). Energies are resolved for every sample that has one.
    /// </summary>
    /// <exception cref="InputFormatException">A structure cannot be read, has an unknown species, or an energy cannot be resolved.</exception>
    public static List<UleSampleVector> Encode(UleDictionary dict, IReadOnlyList<UleSample> samples, ReadOptions? read, int threads,
        Action<UleSample, Frame, UleAssignment>? perAtom = null)
    {
        var list = new List<UleSampleVector>(samples.Count);
        foreach (var s in samples)
        {
            var frame = s.Read(read);
            var a = dict.Assign(frame, s.File, threads);
            double e = s.HasEnergy ? s.Energy(frame) / frame.Count : double.NaN;
            list.Add(new UleSampleVector(s.Name, s.Row?.Values["file"] ?? s.File, s.Frame, s.Group, s.Role, frame.Count, e,
                (double)a.Unassigned / frame.Count, a.Fractions()));
            perAtom?.Invoke(s, frame, a);
        }
        return list;
    }

    /// <summary>The table of sample vectors.</summary>
    public static ResultTable ToTable(IReadOnlyList<UleSampleVector> v, int ules)
    {
        var t = new ResultTable()
            .Add("sample", v.Select(x => x.Sample).ToArray())
            .Add("file", v.Select(x => x.File).ToArray())
            .Add("frame", v.Select(x => (long)x.Frame).ToArray())
            .Add("group", v.Select(x => x.Group).ToArray())
            .Add("role", v.Select(x => x.Role.ToString().ToLowerInvariant()).ToArray())
            .Add("n", v.Select(x => (long)x.Atoms).ToArray())
            .Add("energy_per_atom", v.Select(x => double.IsNaN(x.EnergyPerAtom) ? "" : WriterSupport.F(x.EnergyPerAtom)).ToArray())
            .Add("unassigned", v.Select(x => x.Unassigned).ToArray());
        for (int j = 0; j < ules; j++)
        {
            int jj = j;
            t.Add($"ule_{j}", v.Select(x => x.Fractions[jj]).ToArray());
        }
        return t;
    }

    /// <summary>Reads a fractions table.</summary>
    /// <exception cref="InputFormatException">Malformed, with file and line.</exception>
    public static List<UleSampleVector> Read(string path)
    {
        if (!File.Exists(path)) throw new InputFormatException(path, 0, "file not found");
        var cfg = new CsvConfiguration(CultureInfo.InvariantCulture) { TrimOptions = TrimOptions.Trim, DetectColumnCountChanges = true, BadDataFound = null };
        var list = new List<UleSampleVector>();
        try
        {
            using var reader = new StreamReader(path, detectEncodingFromByteOrderMarks: true);
            using var csv = new CsvReader(reader, cfg);
            if (!csv.Read() || !csv.ReadHeader()) throw new InputFormatException(path, 1, "empty fractions table");
            var header = csv.HeaderRecord!;
            for (int c = 0; c < Fixed.Length; c++)
                if (header.Length <= c || header[c] != Fixed[c]) throw new InputFormatException(path, 1, $"column {c + 1} must be '{Fixed[c]}' (a table written by 'glassml ule encode')");
            int u = header.Length - Fixed.Length;
            for (int j = 0; j < u; j++)
                if (header[Fixed.Length + j] != $"ule_{j}") throw new InputFormatException(path, 1, $"column {Fixed.Length + j + 1} must be 'ule_{j}'");
            while (csv.Read())
            {
                long line = csv.Parser.RawRow;
                double Num(int c, bool allowEmpty = false)
                {
                    string t = csv.GetField(c) ?? "";
                    if (allowEmpty && t.Length == 0) return double.NaN;
                    if (!double.TryParse(t, NumberStyles.Float, CultureInfo.InvariantCulture, out double v) || !double.IsFinite(v))
                        throw new InputFormatException(path, line, $"column '{header[c]}': '{t}' is not a finite number");
                    return v;
                }
                string roleText = csv.GetField(4) ?? "";
                var role = roleText switch
                {
                    "train" => SampleRole.Train, "test" => SampleRole.Test, "apply" => SampleRole.Apply,
                    _ => throw new InputFormatException(path, line, $"role '{roleText}' is not train, test or apply"),
                };
                var fr = new double[u];
                for (int j = 0; j < u; j++) fr[j] = Num(Fixed.Length + j);
                list.Add(new UleSampleVector(csv.GetField(0) ?? "", csv.GetField(1) ?? "", (int)Num(2), csv.GetField(3) ?? "", role, (int)Num(5),
                    Num(6, allowEmpty: true), Num(7), fr));
            }
        }
        catch (CsvHelperException e)
        {
            throw new InputFormatException(path, e.Context?.Parser?.RawRow ?? 0, "malformed CSV");
        }
        if (list.Count == 0) throw new InputFormatException(path, 0, "the fractions table has no rows");
        return list;
    }
}
