using System.Globalization;
using GlassML.Io;

namespace GlassML.Bench.Io;

/// <summary>
/// Whole-process side-by-side of the NPY writer (its write-behind file) and numpy's <c>np.save</c> (tools/npy_save_numpy.py):
/// <c>dotnet run -c Release --project bench/GlassML.Bench -- npy-write ROWS COLS OUT.npy</c> fills a ROWS × COLS float64
/// table with value k = its row-major index (as numpy's <c>np.arange(ROWS*COLS, dtype='&lt;f8')</c>) and writes it with
/// <see cref="NpyWriter.Write(string, double[], int, int)"/>; the file is byte-identical to the numpy script's.
/// </summary>
public static class NpyWriteSideBySide
{
    /// <summary>Runs the writer once.</summary>
    public static void Run(string[] args)
    {
        int rows = int.Parse(args[0], CultureInfo.InvariantCulture), cols = int.Parse(args[1], CultureInfo.InvariantCulture);
        var v = GC.AllocateUninitializedArray<double>(checked(rows * cols));
        for (int k = 0; k < v.Length; k++) v[k] = k;
        if (File.Exists(args[2])) File.Delete(args[2]);
        NpyWriter.Write(args[2], v, rows, cols);
    }
}
