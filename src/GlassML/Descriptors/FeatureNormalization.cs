using GlassML.Neighbors;
using GlassML.Structure;

namespace GlassML.Descriptors;

/// <summary>Physical dimension of a feature column, which decides its normalising scale.</summary>
public enum FeatureDimension
{
    /// <summary>Dimensionless (counts, fractions, order parameters): left unchanged.</summary>
    None,
    /// <summary>A length (Å): divided by the sample mean neighbour distance.</summary>
    Length,
    /// <summary>An area (Å²): divided by the sample mean Voronoi face area.</summary>
    Area,
    /// <summary>A volume (Å³): divided by the sample mean atomic volume V/N.</summary>
    Volume,
}

/// <summary>The three sample scales used to make features dimensionless.</summary>
/// <param name="Length">Mean neighbour distance over all pairs of the list (Å).</param>
/// <param name="Area">Mean face area over all pairs of the list (Å², from <see cref="NeighborList.Weight"/>; NaN without weights).</param>
/// <param name="Volume">Mean atomic volume V/N (Å³), equal to the mean Voronoi cell volume of a periodic sample.</param>
public sealed record SampleScales(double Length, double Area, double Volume);

/// <summary>
/// Normalised variants of the distance, area and volume features (seed 002): every column whose dimension is
/// a length, area or volume is divided by the sample mean of that quantity — the mean neighbour distance ⟨d⟩,
/// the mean Voronoi face area ⟨A_f⟩, the mean atomic volume V/N — so that samples of different density or
/// composition compare. The output names append <c>_norm</c>. Dimensionless columns are not copied.
/// </summary>
public static class FeatureNormalization
{
    /// <summary>
    /// Dimension of a column from its canonical name (docs/names.md): <c>dist_*</c> lengths; <c>voro_area</c> and
    /// <c>voro_facet_area_*</c> areas; <c>voro_volume</c> and <c>voro_subvol_*</c> volumes; everything else
    /// (counts, fractions such as <c>voro_ifold_area_*</c>, order parameters) dimensionless. MRO columns
    /// <c>{base}__nn_{stat}</c> have the dimension of their base (every statistic keeps it).
    /// </summary>
    public static FeatureDimension DimensionOf(string column)
    {
        ArgumentNullException.ThrowIfNull(column);
        int k = column.IndexOf("__nn_", StringComparison.Ordinal);
        string b = k >= 0 ? column[..k] : column;
        if (b.StartsWith("dist_", StringComparison.Ordinal)) return FeatureDimension.Length;
        if (b == "voro_area" || b.StartsWith("voro_facet_area", StringComparison.Ordinal)) return FeatureDimension.Area;
        if (b == "voro_volume" || b.StartsWith("voro_subvol", StringComparison.Ordinal)) return FeatureDimension.Volume;
        return FeatureDimension.None;
    }

    /// <summary>Sample scales of a frame and neighbour list (see <see cref="SampleScales"/>).</summary>
    public static SampleScales Scales(Frame frame, NeighborList neighbors)
    {
        ArgumentNullException.ThrowIfNull(frame);
        ArgumentNullException.ThrowIfNull(neighbors);
        int p = neighbors.PairCount;
        // fixed-order sums (deterministic)
        double sd = 0, sa = 0;
        for (int k = 0; k < p; k++) sd += neighbors.Distance[k];
        if (neighbors.Weight is { } w) for (int k = 0; k < p; k++) sa += w[k];
        return new SampleScales(p > 0 ? sd / p : double.NaN, neighbors.Weight is null || p == 0 ? double.NaN : sa / p,
            frame.Count > 0 ? frame.Box.Volume / frame.Count : double.NaN);
    }

    /// <summary>
    /// Returns the dimensional columns of <paramref name="features"/> divided by their scale, named
    /// <c>{column}_norm</c> (columns of dimension <see cref="FeatureDimension.None"/> are skipped).
    /// </summary>
    public static PerAtomFeatures Normalize(PerAtomFeatures features, SampleScales scales)
    {
        ArgumentNullException.ThrowIfNull(features);
        ArgumentNullException.ThrowIfNull(scales);
        var pick = new List<(int Col, double Scale)>();
        var names = new List<string>();
        for (int c = 0; c < features.FeatureCount; c++)
        {
            double s = DimensionOf(features.Names[c]) switch
            {
                FeatureDimension.Length => scales.Length,
                FeatureDimension.Area => scales.Area,
                FeatureDimension.Volume => scales.Volume,
                _ => double.NaN,
            };
            if (DimensionOf(features.Names[c]) == FeatureDimension.None) continue;
            pick.Add((c, s));
            names.Add(features.Names[c] + "_norm");
        }
        int n = features.AtomCount, f = names.Count;
        var v = new double[(long)n * f];
        for (int i = 0; i < n; i++)
            for (int k = 0; k < f; k++) v[(long)i * f + k] = features[i, pick[k].Col] / pick[k].Scale;
        return new PerAtomFeatures(names, n, v);
    }
}
