using System.Globalization;
using GlassML.Dynamics;
using GlassML.Io;
using GlassML.Neighbors;
using GlassML.Structure;

namespace GlassML.Workflows.Softness;

/// <summary>
/// Plastic labels of one compression trajectory: frame 0 (the glass), the engineering strain of every frame, D² of
/// every frame against frame 0 (kept only at the label frame; per frame only the plastic flags), which atoms are
/// plastic at the label frame and at every frame, and the first frame at which each atom is plastic.
/// </summary>
public sealed class SoftnessLabels
{
    private SoftnessLabels(Frame reference, double[] strains, int labelFrame, double[] d2, bool[] plastic, byte[][] plasticByFrame,
        int[] firstPlastic, bool[] included, double[] plasticFractionByFrame)
    {
        Reference = reference; Strains = strains; LabelFrame = labelFrame; D2 = d2; Plastic = plastic; PlasticByFrame = plasticByFrame;
        FirstPlasticFrame = firstPlastic; Included = included; PlasticFractionByFrame = plasticFractionByFrame;
    }

    /// <summary>Frame 0 sorted by id: the glass whose structure predicts the labels.</summary>
    public Frame Reference { get; }
    /// <summary>Engineering strain |L − L₀|/L₀ of every frame along the loading axis (frame 0 = 0).</summary>
    public double[] Strains { get; }
    /// <summary>Index of the label frame (nearest the requested strain).</summary>
    public int LabelFrame { get; }
    /// <summary>D² at the label frame (Å²), by atom of <see cref="Reference"/>.</summary>
    public double[] D2 { get; }
    /// <summary>Plastic at the label frame, by atom.</summary>
    public bool[] Plastic { get; }
    /// <summary>Plastic flags (0/1) of every frame, by atom (frame 0 all 0).</summary>
    public byte[][] PlasticByFrame { get; }
    /// <summary>First frame at which the atom is plastic (-1 = never).</summary>
    public int[] FirstPlasticFrame { get; }
    /// <summary>Atoms used for labels and scores (all unless <see cref="SoftnessLabelOptions.Inner"/> is set).</summary>
    public bool[] Included { get; }
    /// <summary>Fraction of included atoms that are plastic, per frame.</summary>
    public double[] PlasticFractionByFrame { get; }
    /// <summary>Plastic fraction of the included atoms at the label frame.</summary>
    public double PlasticFraction => PlasticFractionByFrame[LabelFrame];

    /// <summary>Engineering strain of a frame relative to a reference box along an axis: |L − L₀| / L₀ with L the cell's extent (LAMMPS lx, ly, lz).</summary>
    public static double EngineeringStrain(Box reference, Box current, int axis)
    {
        double l0 = reference.Vector(axis)[axis], l = current.Vector(axis)[axis];
        return Math.Abs(l - l0) / l0;
    }

    /// <summary>Index of the frame nearest <paramref name="target"/>; error when it is farther than half the median spacing of the strains.</summary>
    /// <exception cref="InputFormatException">Fewer than two frames, or no frame within half a dump interval.</exception>
    public static int NearestFrame(IReadOnlyList<double> strains, double target, string file)
    {
        if (strains.Count < 2) throw new InputFormatException(file, 0, "a compression trajectory with at least two frames is needed (frame 0 = the undeformed glass)");
        var steps = new double[strains.Count - 1];
        for (int i = 1; i < strains.Count; i++) steps[i - 1] = Math.Abs(strains[i] - strains[i - 1]);
        Array.Sort(steps);
        double interval = steps[steps.Length / 2];
        int best = 0;
        for (int i = 1; i < strains.Count; i++) if (Math.Abs(strains[i] - target) < Math.Abs(strains[best] - target)) best = i;
        double miss = Math.Abs(strains[best] - target);
        if (!(miss <= 0.5 * interval * (1 + 1e-9)))
            throw new InputFormatException(file, 0, string.Create(CultureInfo.InvariantCulture,
                $"no frame within half a dump interval ({0.5 * interval:G4}) of strain {target}: the nearest is frame {best} at strain {strains[best]:G6} (frames span 0–{strains.Max():G6})"));
        return best;
    }

    /// <summary>Reads a trajectory (streaming, one frame in memory at a time) and labels its atoms.</summary>
    /// <param name="path">LAMMPS dump (or any trajectory GlassML reads) whose frame 0 is the undeformed glass.</param>
    /// <param name="read">Type → species map.</param>
    /// <param name="o">Label settings.</param>
    /// <param name="threads">Threads (0 = all cores).</param>
    /// <exception cref="InputFormatException">Unreadable file, one frame only, no frame near the label strain.</exception>
    public static SoftnessLabels Compute(string path, ReadOptions? read, SoftnessLabelOptions o, int threads = 0)
    {
        o.Validate();
        var traj = Trajectory.Open(path, new TrajectoryOptions { Unwrap = UnwrapMode.None }, read);
        var calc = new NonAffineDisplacement(threads);
        var search = new NeighborSearch(threads);
        Frame? reference = null;
        NeighborList? nl = null;
        bool[]? included = null;
        var strains = new List<double>();
        double[]? bestD2 = null; // D² of the frame nearest the label strain so far (first of equals)
        int best = 0;
        var flags = new List<byte[]>();
        var fractions = new List<double>();
        int n = 0, nIn = 0;
        foreach (var f in traj)
        {
            if (reference is null)
            {
                reference = f;
                n = f.Count;
                nl = search.Ball(f, o.Cutoff);
                included = InnerMask(f, o.Inner);
                nIn = included.Count(b => b);
                if (nIn == 0) throw new InputFormatException(path, 0, "--inner leaves no atom of the sample");
                strains.Add(0);
                flags.Add(new byte[n]);
                fractions.Add(0);
                bestD2 = new double[n];
                continue;
            }
            strains.Add(EngineeringStrain(reference.Box, f.Box, o.Axis));
            var res = calc.Compute(reference, nl!, f);
            var d2 = o.D2 == D2Measure.Sum ? res.D2min : res.D2minMean;
            var p = PlasticFlags(d2, included!, o);
            flags.Add(p);
            fractions.Add(p.Count(b => b == 1) / (double)nIn);
            if (Math.Abs(strains[^1] - o.Strain) < Math.Abs(strains[best] - o.Strain)) { best = strains.Count - 1; bestD2 = d2; }
        }
        if (reference is null) throw new InputFormatException(path, 0, "no frames");
        int label = NearestFrame(strains, o.Strain, path);
        if (label != best) throw new InvalidOperationException("label frame bookkeeping");
        var d2Label = bestD2!;
        var plastic = flags[label].Select(b => b == 1).ToArray();
        var first = new int[n];
        for (int i = 0; i < n; i++)
        {
            first[i] = -1;
            for (int k = 1; k < flags.Count; k++) if (flags[k][i] == 1) { first[i] = k; break; }
        }
        return new SoftnessLabels(reference, [.. strains], label, d2Label, plastic, [.. flags], first, included!, [.. fractions]);
    }

    /// <summary>Plastic flags of one frame: D² above the threshold, or the top fraction of the included atoms (ties by smaller index).</summary>
    public static byte[] PlasticFlags(double[] d2, bool[] included, SoftnessLabelOptions o)
    {
        int n = d2.Length;
        var p = new byte[n];
        if (o.PlasticFraction is double frac)
        {
            var idx = Enumerable.Range(0, n).Where(i => included[i] && !double.IsNaN(d2[i])).ToArray();
            Array.Sort(idx, (a, b) => { int c = d2[b].CompareTo(d2[a]); return c != 0 ? c : a.CompareTo(b); });
            int count = (int)Math.Round(frac * idx.Length, MidpointRounding.AwayFromZero);
            for (int j = 0; j < count; j++) p[idx[j]] = 1;
            return p;
        }
        for (int i = 0; i < n; i++) if (included[i] && d2[i] > o.D2Threshold) p[i] = 1;
        return p;
    }

    /// <summary>Atoms farther than <paramref name="inner"/> from every non-periodic face (all atoms when null or fully periodic).</summary>
    public static bool[] InnerMask(Frame f, double? inner)
    {
        var m = new bool[f.Count];
        Array.Fill(m, true);
        if (inner is not double d) return m;
        var coords = new[] { f.X, f.Y, f.Z };
        for (int k = 0; k < 3; k++)
        {
            if (f.Box.Periodic[k]) continue;
            var c = coords[k];
            double lo = c.Min(), hi = c.Max(); // shrink-wrapped faces: the atoms' extent
            for (int i = 0; i < f.Count; i++) if (c[i] - lo < d || hi - c[i] < d) m[i] = false;
        }
        return m;
    }
}
