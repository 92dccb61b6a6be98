using System.Globalization;
using GlassML.Io;
using GlassML.Structure;

namespace GlassML.Workflows.BondStrength;

/// <summary>Labelled bonds of one frame: the bonds and one value per bond (e.g. −ICOHP or the EAM bond-cutting energy, eV).</summary>
/// <param name="FrameIndex">Index of the frame in its file (0 = first), written to the <c>frame</c> column.</param>
/// <param name="Bonds">The bonds.</param>
/// <param name="Values">One label per bond.</param>
public sealed record LabelledBonds(int FrameIndex, BondTable Bonds, double[] Values);

/// <summary>
/// Bond labels in CSV form. Read: columns <c>frame,id_i,id_j,value</c> (any order, header required) and optionally
/// <c>distance</c> and <c>image_a,image_b,image_c</c>, which pick the periodic image of j; without them the nearest image
/// is taken. Written by <c>glassml bonds label</c>: <c>frame,id_i,id_j,species_i,species_j,distance,value,image_a,image_b,image_c</c>.
/// </summary>
public static class BondLabelCsv
{
    /// <summary>Distance tolerance (Å) when a label gives the bond length.</summary>
    public const double DistanceTolerance = 2e-3;

    /// <summary>Writes labelled bonds (rows in table order).</summary>
    public static void Write(string path, IEnumerable<LabelledBonds> sets)
    {
        AtomicFile.WriteText(path, text =>
        {
            using var w = new CsvRowWriter(text);
            w.Row(["frame", "id_i", "id_j", "species_i", "species_j", "distance", "value", "image_a", "image_b", "image_c"]);
            foreach (var s in sets)
            {
                var f = s.Bonds.Frame; var b = s.Bonds;
                for (int k = 0; k < b.Count; k++)
                {
                    w.Integer(s.FrameIndex); w.Integer(f.Ids[b.I[k]]); w.Integer(f.Ids[b.J[k]]);
                    w.Text(f.Species[f.SpeciesIndex[b.I[k]]].Name); w.Text(f.Species[f.SpeciesIndex[b.J[k]]].Name);
                    w.Number(b.Distance[k]); w.Number(s.Values[k]);
                    w.Integer(b.ShiftA[k]); w.Integer(b.ShiftB[k]); w.Integer(b.ShiftC[k]);
                    w.EndRow();
                }
            }
        });
    }

    /// <summary>
    /// Reads the labels of one frame from a label CSV (rows of other frames are skipped) and finds each labelled bond in
    /// the frame. Errors name the file and line.
    /// </summary>
    /// <exception cref="InputFormatException">Malformed file, unknown atom id, a distance that matches no image, or a bond labelled twice.</exception>
    public static LabelledBonds Read(string path, Frame frame, int frameIndex)
    {
        using var csv = CsvTableReader.Open(path, comments: true);
        var header = csv.Header;
        int Col(string name, bool required)
        {
            int c = csv.Column(name);
            if (c < 0 && required) throw new InputFormatException(path, csv.HeaderLine, $"no '{name}' column in the header (frame,id_i,id_j,value required)");
            return c;
        }
        int cf = Col("frame", true), ci = Col("id_i", true), cj = Col("id_j", true), cv = Col("value", true), cd = Col("distance", false);
        int ca = Col("image_a", false), cb = Col("image_b", false), cc = Col("image_c", false);
        bool images = ca >= 0 && cb >= 0 && cc >= 0;
        var byId = IdIndex(frame);
        var seen = new HashSet<(int, int, int, int, int)>();
        var bi = new List<int>(); var bj = new List<int>(); var sa = new List<int>(); var sb = new List<int>(); var sc = new List<int>();
        var dist = new List<double>(); var val = new List<double>();
        while (csv.Read())
        {
            long line = csv.Line;
            if (csv.Count != header.Count) throw csv.Error($"{csv.Count} fields, the header has {header.Count}");
            long Long(int c, string what) => long.TryParse(csv.Cell(c), NumberStyles.Integer, CultureInfo.InvariantCulture, out long v)
                ? v : throw csv.Error($"{what} '{csv.Text(c)}' is not an integer");
            double Num(int c, string what) => double.TryParse(csv.Cell(c), NumberStyles.Float, CultureInfo.InvariantCulture, out double v) && double.IsFinite(v)
                ? v : throw csv.Error($"{what} '{csv.Text(c)}' is not a finite number");
            if (Long(cf, "frame") != frameIndex) continue;
            long idi = Long(ci, "id_i"), idj = Long(cj, "id_j");
            double value = Num(cv, "value");
            if (!byId.TryGetValue(idi, out int i)) throw new InputFormatException(path, line, $"atom id {idi} is not in the structure");
            if (!byId.TryGetValue(idj, out int j)) throw new InputFormatException(path, line, $"atom id {idj} is not in the structure");
            (int A, int B, int C, double D) bond;
            if (images)
            {
                var s = ((int)Long(ca, "image_a"), (int)Long(cb, "image_b"), (int)Long(cc, "image_c"));
                if (idi > idj) { (i, j) = (j, i); s = (-s.Item1, -s.Item2, -s.Item3); }
                double d = ImageDistance(frame, i, j, s.Item1, s.Item2, s.Item3);
                if (cd >= 0 && Math.Abs(d - Num(cd, "distance")) > DistanceTolerance)
                    throw new InputFormatException(path, line, $"bond {idi}-{idj} image ({s.Item1} {s.Item2} {s.Item3}) is {d:F4} Å long in the structure, the file says {Num(cd, "distance")}");
                bond = (s.Item1, s.Item2, s.Item3, d);
            }
            else
            {
                double? want = cd >= 0 ? Num(cd, "distance") : null;
                var m = MatchImage(frame, i, j, want, null);
                if (m is null) throw new InputFormatException(path, line, $"no image of atoms {idi} and {idj} is {want} Å apart (within {DistanceTolerance} Å)");
                bond = m.Value;
                if (idi > idj) { (i, j) = (j, i); bond = (-bond.A, -bond.B, -bond.C, bond.D); }
            }
            if (i == j) throw new InputFormatException(path, line, $"a bond of atom {idi} with itself");
            if (!seen.Add((i, j, bond.A, bond.B, bond.C))) throw new InputFormatException(path, line, $"bond {Math.Min(idi, idj)}-{Math.Max(idi, idj)} is labelled twice");
            bi.Add(i); bj.Add(j); sa.Add(bond.A); sb.Add(bond.B); sc.Add(bond.C); dist.Add(bond.D); val.Add(value);
        }
        if (bi.Count == 0) throw new InputFormatException(path, 0, $"no labels for frame {frameIndex}");
        return new LabelledBonds(frameIndex, BondTable.Of(frame, bi.ToArray(), bj.ToArray(), sa.ToArray(), sb.ToArray(), sc.ToArray(), dist.ToArray()), val.ToArray());
    }

    internal static List<string> ReadLines(string path)
    {
        using var src = new LineSource(path);
        var lines = new List<string>();
        while (src.ReadLine() is { } l) lines.Add(l);
        return lines;
    }

    internal static Dictionary<long, int> IdIndex(Frame f)
    {
        var d = new Dictionary<long, int>(f.Count);
        for (int i = 0; i < f.Count; i++) d[f.Ids[i]] = i;
        return d;
    }

    /// <summary>|r_j + H·s − r_i| (Å).</summary>
    public static double ImageDistance(Frame f, int i, int j, int sa, int sb, int sc)
    {
        var v = new Vec3(f.X[j] - f.X[i], f.Y[j] - f.Y[i], f.Z[j] - f.Z[i]) + f.Box.ShiftVector(sa, sb, sc);
        return v.Length;
    }

    /// <summary>
    /// The image of j seen from i: with a distance, the image (among the 125 around the nearest) whose length is within
    /// <see cref="DistanceTolerance"/> of it (the closest match; a preferred shift wins a tie within the tolerance);
    /// without, the nearest image. Null when no image matches.
    /// </summary>
    internal static (int A, int B, int C, double D)? MatchImage(Frame f, int i, int j, double? distance, (int, int, int)? prefer)
    {
        var box = f.Box;
        var raw = new Vec3(f.X[j] - f.X[i], f.Y[j] - f.Y[i], f.Z[j] - f.Z[i]);
        var s = box.DeltaToFractional(raw);
        int a0 = box.Periodic[0] ? -(int)Math.Round(s.X) : 0, b0 = box.Periodic[1] ? -(int)Math.Round(s.Y) : 0, c0 = box.Periodic[2] ? -(int)Math.Round(s.Z) : 0;
        (int, int, int, double)? best = null; double bestScore = double.PositiveInfinity;
        int ra = box.Periodic[0] ? 2 : 0, rb = box.Periodic[1] ? 2 : 0, rc = box.Periodic[2] ? 2 : 0;
        for (int da = -ra; da <= ra; da++)
            for (int db = -rb; db <= rb; db++)
                for (int dc = -rc; dc <= rc; dc++)
                {
                    int A = a0 + da, B = b0 + db, C = c0 + dc;
                    if (i == j && A == 0 && B == 0 && C == 0) continue;
                    double d = (raw + box.ShiftVector(A, B, C)).Length;
                    double score;
                    if (distance is { } want)
                    {
                        double err = Math.Abs(d - want);
                        if (err > DistanceTolerance) continue;
                        score = prefer is { } p && p == (A, B, C) ? -1 : err;
                    }
                    else score = d;
                    if (score < bestScore) { bestScore = score; best = (A, B, C, d); }
                }
        return best;
    }
}
