using GlassML.Descriptors;
using GlassML.Io;
using GlassML.Structure;

namespace GlassML.Workflows.Ule;

/// <summary>Per-atom output of the ULE workflow: extended XYZ with <c>ule</c>, <c>ule_m</c> and optionally <c>barcode_index</c>.</summary>
public static class UleAtoms
{
    /// <summary>The per-atom columns of an assignment (frame order = id order): ule (−1 unassigned), ule_m, [barcode_index (−1 when not in the barcode)].</summary>
    public static PerAtomFeatures Columns(UleAssignment a, int[]? barcodePosition)
    {
        int n = a.AtomCount, w = barcodePosition is null ? 2 : 3;
        var v = new double[n * w];
        for (int i = 0; i < n; i++)
        {
            v[i * w] = a.Ule[i];
            v[i * w + 1] = a.M[i];
            if (barcodePosition is not null) v[i * w + 2] = a.Ule[i] >= 0 ? barcodePosition[a.Ule[i]] : -1;
        }
        return new PerAtomFeatures(barcodePosition is null ? ["ule", "ule_m"] : ["ule", "ule_m", "barcode_index"], n, v);
    }

    /// <summary>Writes the frame with the per-atom columns as extended XYZ (folders created).</summary>
    public static void Write(string path, Frame frame, UleAssignment a, int[]? barcodePosition)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        ExtendedXyzWriter.Write(path, frame, Columns(a, barcodePosition));
    }
}
