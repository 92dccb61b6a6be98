using GlassML.Potentials;
using GlassML.Structure;

namespace GlassML.Workflows.BondStrength;

/// <summary>
/// The <c>eam</c> label source: the EAM bond-cutting energy b_ij = E(pair i–j removed, all else fixed) − E
/// (<see cref="EamPotential.BondCuttingEnergy"/>: −φ_ij plus the exact change of both embedding energies; positive =
/// binding). A classical stand-in that lets the whole chain run on MD data without DFT — not bonding chemistry.
/// </summary>
public static class EamBondLabels
{
    /// <summary>b_ij of every bond of a table (bonds beyond the potential's cutoff get 0).</summary>
    public static LabelledBonds Label(EamPotential potential, BondTable bonds, int frameIndex, int threads = 0)
    {
        var f = bonds.Frame;
        var state = potential.Compute(f, threads);
        var values = new double[bonds.Count];
        var po = new ParallelOptions { MaxDegreeOfParallelism = threads == 0 ? -1 : threads };
        Parallel.For(0, bonds.Count, po, b =>
        {
            if (!(bonds.Distance[b] < potential.Cutoff)) { values[b] = 0; return; }
            int i = bonds.I[b], j = bonds.J[b];
            var d = new Vec3(f.X[j] - f.X[i], f.Y[j] - f.Y[i], f.Z[j] - f.Z[i]) + f.Box.ShiftVector(bonds.ShiftA[b], bonds.ShiftB[b], bonds.ShiftC[b]);
            int p = EamPotential.FindPair(state, i, j, d);
            values[b] = EamPotential.BondCuttingEnergy(state, i, p);
        });
        return new LabelledBonds(frameIndex, bonds, values);
    }
}
