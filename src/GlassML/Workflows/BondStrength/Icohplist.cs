using System.Globalization;
using GlassML.Io;
using GlassML.Structure;

namespace GlassML.Workflows.BondStrength;

/// <summary>One atom-pair entry of an ICOHPLIST.lobster file (orbital-resolved rows are not entries).</summary>
/// <param name="Line">1-based line of the entry (of its spin-1 row).</param>
/// <param name="ElementMu">Element of the first atom (e.g. Zr).</param>
/// <param name="IndexMu">1-based index of the first atom in the structure.</param>
/// <param name="ElementNu">Element of the second atom.</param>
/// <param name="IndexNu">1-based index of the second atom.</param>
/// <param name="Distance">Distance (Å).</param>
/// <param name="Translation">Cell translation of the second atom (LOBSTER ≥ 3), else null.</param>
/// <param name="Icohp">ICOHP at the Fermi level of each spin (eV).</param>
public sealed record IcohpEntry(int Line, string ElementMu, int IndexMu, string ElementNu, int IndexNu, double Distance,
    (int, int, int)? Translation, double[] Icohp)
{
    /// <summary>The label: −ICOHP summed over spins (eV; positive = bonding).</summary>
    public double Label => -Icohp.Sum();
}

/// <summary>
/// Reader of LOBSTER's <c>ICOHPLIST.lobster</c> in its three layouts:
/// 2.x (<c>COHP# atomMU atomNU distance ICOHP(eF) [count]</c>, no translation; a spin-polarised file repeats the
/// header and rows for spin 2), 3.x/4.x (<c>... distance translation(3 integers) ICOHP(eF)</c>, an optional second block
/// headed "for spin 2") and 5.x (both spins side by side on one row: <c>... translation ICOHP(spin 1) ICOHP(spin 2)</c>).
/// Orbital-resolved rows (atom names with an orbital suffix such as <c>Zr12_4d</c>) are skipped. Atom names are an
/// element followed by the atom's 1-based index in the structure.
/// </summary>
public static class Icohplist
{
    /// <summary>Reads the atom-pair entries of a file.</summary>
    /// <exception cref="InputFormatException">Unrecognised header or row, or spin blocks that do not correspond; names file and line.</exception>
    public static IReadOnlyList<IcohpEntry> Read(string path)
    {
        if (!File.Exists(path)) throw new InputFormatException(path, 0, "file not found");
        var lines = BondLabelCsv.ReadLines(path);
        var entries = new List<IcohpEntry>();
        bool translation = false; int spinsPerRow = 1; int block = 0; int cursor = 0; bool sawHeader = false;
        for (int k = 0; k < lines.Count; k++)
        {
            string line = lines[k].Trim();
            if (line.Length == 0) continue;
            int ln = k + 1;
            if (line.StartsWith("COHP#", StringComparison.OrdinalIgnoreCase))
            {
                int spins = CountSpins(line, out int firstSpin);
                translation = line.Contains("translation", StringComparison.OrdinalIgnoreCase);
                if (!sawHeader)
                {
                    sawHeader = true;
                    spinsPerRow = Math.Max(1, spins);
                    block = 1;
                }
                else
                {
                    if (!(spins == 0 || (spins == 1 && firstSpin == 2)) || block != 1 || spinsPerRow != 1)
                        throw new InputFormatException(path, ln, "unexpected header: only one second block, for spin 2, may follow the spin-1 rows");
                    block = 2; cursor = 0;
                }
                continue;
            }
            if (!sawHeader) throw new InputFormatException(path, ln, "no 'COHP#' header line before the first row (not an ICOHPLIST.lobster file?)");
            var t = line.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
            int need = 4 + (translation ? 3 : 0) + spinsPerRow;
            if (t.Length < need)
                throw new InputFormatException(path, ln, $"{t.Length} fields, expected at least {need} (COHP# atomMU atomNU distance{(translation ? " translation(3)" : "")} ICOHP{(spinsPerRow == 2 ? " ×2 spins" : "")})");
            if (t[1].Contains('_') || t[2].Contains('_')) continue; // orbital-resolved row
            var (em, im) = Atom(t[1], path, ln);
            var (en, inn) = Atom(t[2], path, ln);
            double d = Num(t[3], path, ln, "distance");
            (int, int, int)? tr = null;
            int v = 4;
            if (translation) { tr = (Int(t[4], path, ln), Int(t[5], path, ln), Int(t[6], path, ln)); v = 7; }
            var ic = new double[spinsPerRow];
            for (int s = 0; s < spinsPerRow; s++) ic[s] = Num(t[v + s], path, ln, "ICOHP");
            if (block <= 1)
            {
                entries.Add(new IcohpEntry(ln, em, im, en, inn, d, tr, ic));
            }
            else
            {
                if (cursor >= entries.Count) throw new InputFormatException(path, ln, "the spin-2 block has more rows than the spin-1 block");
                var e = entries[cursor];
                if (e.ElementMu != em || e.IndexMu != im || e.ElementNu != en || e.IndexNu != inn || Math.Abs(e.Distance - d) > 1e-9)
                    throw new InputFormatException(path, ln, $"spin-2 row {t[1]} {t[2]} does not correspond to spin-1 row (line {e.Line}: {e.ElementMu}{e.IndexMu} {e.ElementNu}{e.IndexNu})");
                entries[cursor] = e with { Icohp = [e.Icohp[0], ic[0]] };
                cursor++;
            }
        }
        if (!sawHeader) throw new InputFormatException(path, 1, "no 'COHP#' header line (not an ICOHPLIST.lobster file?)");
        if (block == 2 && cursor != entries.Count) throw new InputFormatException(path, lines.Count, $"the spin-2 block has {cursor} rows, the spin-1 block {entries.Count}");
        if (entries.Count == 0) throw new InputFormatException(path, 0, "no atom-pair rows");
        return entries;
    }

    /// <summary>
    /// Matches every entry to a pair of the structure: atom k is the atom with id k; its species must be the entry's
    /// element; an image of the pair must be the entry's distance within 2e-3 Å (the LOBSTER translation breaks ties).
    /// </summary>
    /// <exception cref="InputFormatException">Any entry that does not match (file and line), or a pair listed twice.</exception>
    public static LabelledBonds Match(string path, IReadOnlyList<IcohpEntry> entries, Frame frame, int frameIndex)
    {
        var byId = BondLabelCsv.IdIndex(frame);
        var seen = new Dictionary<(int, int, int, int, int), int>();
        var bi = new List<int>(); var bj = new List<int>(); var sa = new List<int>(); var sb = new List<int>(); var sc = new List<int>();
        var dist = new List<double>(); var val = new List<double>();
        foreach (var e in entries)
        {
            int i = Resolve(e.ElementMu, e.IndexMu), j = Resolve(e.ElementNu, e.IndexNu);
            var m = BondLabelCsv.MatchImage(frame, i, j, e.Distance, e.Translation)
                ?? throw new InputFormatException(path, e.Line,
                    $"{e.ElementMu}{e.IndexMu}–{e.ElementNu}{e.IndexNu}: no image of atoms {e.IndexMu} and {e.IndexNu} of the structure is {e.Distance} Å apart (within {BondLabelCsv.DistanceTolerance} Å; nearest image {BondLabelCsv.MatchImage(frame, i, j, null, null)?.D:F4} Å)");
            var (A, B, C, D) = m;
            if (frame.Ids[i] > frame.Ids[j]) { (i, j) = (j, i); (A, B, C) = (-A, -B, -C); }
            if (i == j && !(A > 0 || (A == 0 && (B > 0 || (B == 0 && C > 0))))) (A, B, C) = (-A, -B, -C);
            if (seen.TryGetValue((i, j, A, B, C), out int first))
                throw new InputFormatException(path, e.Line, $"{e.ElementMu}{e.IndexMu}–{e.ElementNu}{e.IndexNu} is the same bond as line {first}");
            seen[(i, j, A, B, C)] = e.Line;
            bi.Add(i); bj.Add(j); sa.Add(A); sb.Add(B); sc.Add(C); dist.Add(D); val.Add(e.Label);

            int Resolve(string element, int index)
            {
                if (!byId.TryGetValue(index, out int a))
                    throw new InputFormatException(path, e.Line, $"atom {element}{index}: the structure has no atom with id {index}");
                string sp = frame.Species[frame.SpeciesIndex[a]].Name;
                if (!string.Equals(sp, element, StringComparison.Ordinal))
                    throw new InputFormatException(path, e.Line, $"atom {element}{index}: atom {index} of the structure is {sp}, not {element}");
                return a;
            }
        }
        return new LabelledBonds(frameIndex, BondTable.Of(frame, bi.ToArray(), bj.ToArray(), sa.ToArray(), sb.ToArray(), sc.ToArray(), dist.ToArray()), val.ToArray());
    }

    private static int CountSpins(string header, out int first)
    {
        int count = 0; first = 0;
        int at = 0;
        while ((at = header.IndexOf("for spin", at, StringComparison.OrdinalIgnoreCase)) >= 0)
        {
            at += "for spin".Length;
            var rest = header[at..].TrimStart();
            int digits = 0;
            while (digits < rest.Length && char.IsDigit(rest[digits])) digits++;
            if (digits > 0 && count == 0) first = int.Parse(rest[..digits], CultureInfo.InvariantCulture);
            count++;
        }
        return count;
    }

    private static (string Element, int Index) Atom(string name, string path, int line)
    {
        int k = 0;
        while (k < name.Length && char.IsLetter(name[k])) k++;
        if (k == 0 || k == name.Length || !int.TryParse(name[k..], NumberStyles.None, CultureInfo.InvariantCulture, out int idx) || idx < 1)
            throw new InputFormatException(path, line, $"'{name}' is not an atom name (element and 1-based index, e.g. Zr12)");
        return (name[..k], idx);
    }

    private static double Num(string s, string path, int line, string what) =>
        double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out double v) && double.IsFinite(v)
            ? v : throw new InputFormatException(path, line, $"{what} '{s}' is not a number");

    private static int Int(string s, string path, int line) =>
        int.TryParse(s, NumberStyles.Integer, CultureInfo.InvariantCulture, out int v) ? v : throw new InputFormatException(path, line, $"translation '{s}' is not an integer");
}
