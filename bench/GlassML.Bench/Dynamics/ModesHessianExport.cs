using System.Globalization;
using GlassML.Io;
using GlassML.Potentials;

namespace GlassML.Bench.Dynamics;

/// <summary>
/// Writes the analytic EAM Hessian that <c>glassml modes</c> diagonalises, for the scipy side-by-side (tools/modes_eigsh.py):
/// <c>dotnet run -c Release --project bench/GlassML.Bench -- modes-hessian STRUCTURE POTENTIAL OUT_PREFIX [TYPES]</c>
/// writes OUT_PREFIX_hessian.npy (one row (i, j, H_ij in eV/Å²) per stored entry, i and j in 0 … 3N − 1, atoms in file order)
/// and OUT_PREFIX_masses.npy (N × 1, amu: the structure's masses, else the potential's, as the verb takes them). TYPES is
/// the <c>--types</c> map, default <c>1:Cu,2:Zr</c>.
/// </summary>
public static class ModesHessianExport
{
    /// <summary>Runs the export.</summary>
    public static void Run(string[] args)
    {
        var names = (args.Length > 3 ? args[3] : "1:Cu,2:Zr").Split(',')
            .Select(p => p.Split(':')).ToDictionary(p => int.Parse(p[0], CultureInfo.InvariantCulture), p => p[1]);
        var frame = StructureReader.ReadFrame(args[0], 0, new ReadOptions { TypeNames = names });
        var pot = EamPotential.Read(args[1]);
        var h = EamHessian.Compute(pot.Compute(frame, 1), 1);
        var masses = pot.MassesOf(frame);
        var coo = new List<double>(9 * 3 * h.Columns.Length);
        for (int a = 0; a < h.AtomCount; a++)
            for (int q = h.RowOffsets[a]; q < h.RowOffsets[a + 1]; q++)
                for (int r = 0; r < 3; r++)
                    for (int c = 0; c < 3; c++)
                    {
                        coo.Add(3 * a + r); coo.Add(3 * h.Columns[q] + c); coo.Add(h.Blocks[9 * q + 3 * r + c]);
                    }
        NpyWriter.Write(args[2] + "_hessian.npy", [.. coo], coo.Count / 3, 3);
        NpyWriter.Write(args[2] + "_masses.npy", masses, frame.Count, 1);
        Console.WriteLine($"{frame.Count} atoms, {h.Columns.Length} blocks → {args[2]}_hessian.npy, {args[2]}_masses.npy");
    }
}
