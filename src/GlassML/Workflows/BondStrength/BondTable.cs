using GlassML.Neighbors;
using GlassML.Structure;

namespace GlassML.Workflows.BondStrength;

/// <summary>
/// The first-shell bonds of one frame: every periodic image i–j closer than the cutoff of its pair type, each bond once
/// as (id_i &lt; id_j, image shift), sorted by (id_i, id_j, shift). The shift s (integers along the cell vectors a, b, c)
/// says which image of j is bonded: r_j + H·s − r_i is the bond vector. A bond of an atom with its own image (tiny
/// cells) is kept once, with the lexicographically positive shift.
/// </summary>
public sealed class BondTable
{
    private BondTable(Frame frame, int[] i, int[] j, int[] sa, int[] sb, int[] sc, double[] d)
    {
        Frame = frame; I = i; J = j; ShiftA = sa; ShiftB = sb; ShiftC = sc; Distance = d;
    }

    /// <summary>The frame.</summary>
    public Frame Frame { get; }
    /// <summary>Atom index (in the frame) of the lower-id atom of each bond.</summary>
    public int[] I { get; }
    /// <summary>Atom index of the higher-id atom.</summary>
    public int[] J { get; }
    /// <summary>Image shift along a.</summary>
    public int[] ShiftA { get; }
    /// <summary>Image shift along b.</summary>
    public int[] ShiftB { get; }
    /// <summary>Image shift along c.</summary>
    public int[] ShiftC { get; }
    /// <summary>Bond length (Å).</summary>
    public double[] Distance { get; }
    /// <summary>Number of bonds.</summary>
    public int Count => I.Length;

    /// <summary>The image shift of atom j as seen from atom i along displacement d = r_j' − r_i.</summary>
    public static (int A, int B, int C) ShiftOf(Frame f, int i, int j, double dx, double dy, double dz)
    {
        var s = f.Box.DeltaToFractional(new Vec3(f.X[i] + dx - f.X[j], f.Y[i] + dy - f.Y[j], f.Z[i] + dz - f.Z[j]));
        return ((int)Math.Round(s.X), (int)Math.Round(s.Y), (int)Math.Round(s.Z));
    }

    /// <summary>Finds the bonds of a frame.</summary>
    /// <exception cref="ArgumentException">A pair type present in the frame has no cutoff.</exception>
    public static BondTable Find(Frame frame, BondCutoffs cutoffs, int threads = 0)
    {
        cutoffs.CheckCovers(frame);
        var nl = new NeighborSearch(threads).Ball(frame, cutoffs.Max);
        return FromNeighbors(frame, nl, cutoffs);
    }

    /// <summary>Finds the bonds of a frame from a cutoff neighbour list reaching at least the largest cutoff.</summary>
    public static BondTable FromNeighbors(Frame frame, NeighborList nl, BondCutoffs cutoffs)
    {
        int ns = frame.Species.Count;
        var cut = new double[ns * ns];
        for (int a = 0; a < ns; a++)
            for (int b = 0; b < ns; b++)
            {
                double c = cutoffs.Of(frame.Species[a].Name, frame.Species[b].Name);
                cut[a * ns + b] = double.IsNaN(c) ? 0 : c;
            }
        var rows = new List<(long Ii, long Ij, int A, int B, int C, int I, int J, double D)>();
        var ids = frame.Ids; var sp = frame.SpeciesIndex;
        for (int i = 0; i < frame.Count; i++)
        {
            for (int p = nl.Offsets[i]; p < nl.Offsets[i + 1]; p++)
            {
                int j = nl.Index[p];
                double d = nl.Distance[p];
                if (!(d < cut[sp[i] * ns + sp[j]])) continue;
                if (ids[i] > ids[j]) continue;
                var (sa, sb, sc) = ShiftOf(frame, i, j, nl.Dx[p], nl.Dy[p], nl.Dz[p]);
                if (ids[i] == ids[j])
                {
                    if (i != j) throw new ArgumentException($"atom id {ids[i]} appears twice in the frame");
                    if (!(sa > 0 || (sa == 0 && (sb > 0 || (sb == 0 && sc > 0))))) continue;
                }
                rows.Add((ids[i], ids[j], sa, sb, sc, i, j, d));
            }
        }
        rows.Sort((x, y) =>
        {
            int c = x.Ii.CompareTo(y.Ii); if (c != 0) return c;
            c = x.Ij.CompareTo(y.Ij); if (c != 0) return c;
            c = x.A.CompareTo(y.A); if (c != 0) return c;
            c = x.B.CompareTo(y.B); if (c != 0) return c;
            return x.C.CompareTo(y.C);
        });
        return new BondTable(frame, rows.Select(r => r.I).ToArray(), rows.Select(r => r.J).ToArray(),
            rows.Select(r => r.A).ToArray(), rows.Select(r => r.B).ToArray(), rows.Select(r => r.C).ToArray(), rows.Select(r => r.D).ToArray());
    }

    /// <summary>A table of selected bonds (in the order given).</summary>
    public BondTable Select(IReadOnlyList<int> rows) => new(Frame, rows.Select(r => I[r]).ToArray(), rows.Select(r => J[r]).ToArray(),
        rows.Select(r => ShiftA[r]).ToArray(), rows.Select(r => ShiftB[r]).ToArray(), rows.Select(r => ShiftC[r]).ToArray(), rows.Select(r => Distance[r]).ToArray());

    /// <summary>A table from explicit bonds (atom indices, shifts and distances).</summary>
    public static BondTable Of(Frame frame, int[] i, int[] j, int[] sa, int[] sb, int[] sc, double[] d)
    {
        if (j.Length != i.Length || sa.Length != i.Length || sb.Length != i.Length || sc.Length != i.Length || d.Length != i.Length)
            throw new ArgumentException("bond arrays differ in length");
        return new BondTable(frame, i, j, sa, sb, sc, d);
    }

    /// <summary>Pair-type index of each bond in a species order (e.g. a model's): type of (a ≤ b) = index in
    /// <see cref="PairTypes"/>; -1 when a species is not in the list.</summary>
    public int[] TypesIn(IReadOnlyList<string> species)
    {
        var map = new int[Frame.Species.Count];
        for (int s = 0; s < map.Length; s++) map[s] = species.ToList().IndexOf(Frame.Species[s].Name);
        var t = new int[Count];
        for (int b = 0; b < Count; b++)
        {
            int x = map[Frame.SpeciesIndex[I[b]]], y = map[Frame.SpeciesIndex[J[b]]];
            t[b] = x < 0 || y < 0 ? -1 : PairIndex(x, y, species.Count);
        }
        return t;
    }

    /// <summary>Index of the unordered pair (a, b) among the pairs a ≤ b of <paramref name="n"/> species in row order.</summary>
    public static int PairIndex(int a, int b, int n)
    {
        if (a > b) (a, b) = (b, a);
        return a * n - a * (a - 1) / 2 + (b - a);
    }

    /// <summary>Names "A-B" (a ≤ b in the given order) of every pair type of a species list, in <see cref="PairIndex"/> order.</summary>
    public static string[] PairTypes(IReadOnlyList<string> species)
    {
        var r = new List<string>();
        for (int a = 0; a < species.Count; a++)
            for (int b = a; b < species.Count; b++) r.Add($"{species[a]}-{species[b]}");
        return r.ToArray();
    }
}
