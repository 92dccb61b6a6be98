using GlassML.Structure;
using GlassML.Voronoi;

namespace GlassML.Descriptors;

/// <summary>
/// Voronoi-index motif indicators (names.md <c>motifs</c> row), 1 when the atom's cell matches and 0 otherwise, from the
/// Voronoi index ⟨n3, n4, n5, n6⟩ of its faces towards atoms (faces with 7 or more edges must be absent for the exact
/// indices): <c>motif_ico</c> ⟨0,0,12,0⟩ (full icosahedron), <c>motif_z14</c> ⟨0,0,12,2⟩, <c>motif_z15</c> ⟨0,0,12,3⟩,
/// <c>motif_z16</c> ⟨0,0,12,4⟩ (Frank–Kasper), and <c>motif_kasper</c>: 2·n4 + n5 = 12 (the seed's Kasper-kernel rule);
/// <c>motif_ico_or_z16</c>: ⟨0,0,12,0⟩ or ⟨0,0,12,4⟩ (amlearn's <c>is_&lt;0,0,12,0/4,0&gt;</c>).
/// </summary>
public sealed class Motifs
{
    private static readonly string[] Names = ["motif_ico", "motif_z14", "motif_z15", "motif_z16", "motif_kasper", "motif_ico_or_z16"];

    /// <summary>Column names in output order.</summary>
    public IReadOnlyList<string> FeatureNames => Names;

    /// <summary>Number of columns (6).</summary>
    public int FeatureCount => Names.Length;

    /// <summary>Computes the indicators for every atom (N × 6, atoms in frame order).</summary>
    /// <exception cref="ArgumentException">The tessellation was made for a different number of atoms.</exception>
    public PerAtomFeatures Compute(Frame frame, VoronoiResult voronoi)
    {
        int n = DescriptorArguments.Check(frame, voronoi);
        var values = new double[(long)n * Names.Length];
        ComputeInto(frame, voronoi, values, Names.Length, 0);
        return new PerAtomFeatures(Names, n, values);
    }

    /// <summary>
    /// Writes the indicators of atom i to dest[i·stride + offset .. + 6) for every atom (values of <see cref="Compute"/>), over
    /// atoms in parallel chunks (<paramref name="threads"/>: maximum degree of parallelism, 0 = all cores).
    /// </summary>
    internal void ComputeInto(Frame frame, VoronoiResult voronoi, double[] dest, int stride, int offset, int threads = 1) =>
        ComputeRows(frame, voronoi, AtomRows.All(frame.Count), dest, stride, offset, threads);

    /// <summary>The rows of the given atoms only (row k ← atom rows.Atom(k)), values identical to <see cref="ComputeInto"/>'s.</summary>
    internal void ComputeRows(Frame frame, VoronoiResult voronoi, AtomRows rows, double[] dest, int stride, int offset, int threads = 1)
    {
        DescriptorArguments.Check(frame, voronoi);
        int n = rows.Count;
        RowLayout.Check(dest, n, stride, offset, Names.Length);
        var values = dest;
        ParallelChunks.Run(n, threads, (lo, hi) =>
        {
            for (int k = lo; k < hi; k++)
            {
                int i = rows.Atom(k);
                int n3 = 0, n4 = 0, n5 = 0, n6 = 0, n7p = 0;
                var faces = voronoi.FacesAt(i);
                for (int p = 0; p < faces.Count; p++)
                {
                    if (faces.IsWall(p)) continue;
                    switch (faces.Edges(p))
                    {
                        case 3: n3++; break;
                        case 4: n4++; break;
                        case 5: n5++; break;
                        case 6: n6++; break;
                        case >= 7: n7p++; break;
                    }
                }
                bool base12 = n3 == 0 && n4 == 0 && n5 == 12 && n7p == 0;
                long o = (long)k * stride + offset;
                values[o] = base12 && n6 == 0 ? 1 : 0;
                values[o + 1] = base12 && n6 == 2 ? 1 : 0;
                values[o + 2] = base12 && n6 == 3 ? 1 : 0;
                values[o + 3] = base12 && n6 == 4 ? 1 : 0;
                values[o + 4] = 2 * n4 + n5 == 12 ? 1 : 0;
                values[o + 5] = base12 && (n6 == 0 || n6 == 4) ? 1 : 0;
            }
        });
    }
}
