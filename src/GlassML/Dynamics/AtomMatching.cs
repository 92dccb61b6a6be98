using GlassML.Structure;

namespace GlassML.Dynamics;

/// <summary>Matches atoms of two frames by id.</summary>
public static class AtomMatching
{
    /// <summary>
    /// For each atom index i of <paramref name="reference"/> the index of the atom with the same id in
    /// <paramref name="other"/> (identity when the id arrays are equal).
    /// </summary>
    /// <exception cref="ArgumentException">When the frames do not hold the same set of ids.</exception>
    public static int[] Map(Frame reference, Frame other)
    {
        int n = reference.Count;
        if (other.Count != n) throw new ArgumentException($"frames hold different atom counts ({n} and {other.Count}, timesteps {reference.Timestep} and {other.Timestep})");
        var map = new int[n];
        if (reference.Ids.AsSpan().SequenceEqual(other.Ids))
        {
            for (int i = 0; i < n; i++) map[i] = i;
            return map;
        }
        var at = new Dictionary<long, int>(n);
        for (int i = 0; i < n; i++)
            if (!at.TryAdd(other.Ids[i], i)) throw new ArgumentException($"duplicate atom id {other.Ids[i]} at timestep {other.Timestep}");
        for (int i = 0; i < n; i++)
            if (!at.TryGetValue(reference.Ids[i], out map[i]))
                throw new ArgumentException($"atom id {reference.Ids[i]} of timestep {reference.Timestep} is missing at timestep {other.Timestep}");
        return map;
    }
}
