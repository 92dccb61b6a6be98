using GlassML.Structure;

namespace GlassML.Io;

/// <summary>Reads LAMMPS data files (work in progress).</summary>
public static class LammpsDataReader
{
    /// <summary>Reads the file.</summary>
    public static Frame Read(string path, ReadOptions? options = null) { _ = options; throw new InputFormatException(path, 0, "LAMMPS data reading is not implemented yet"); }
}
