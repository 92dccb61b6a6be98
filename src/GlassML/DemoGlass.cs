using GlassML.Io;
using GlassML.Structure;

namespace GlassML;

/// <summary>
/// The demo glass embedded in the library: a Cu64Zr36 metallic glass of about 2000 atoms, melted, quenched and
/// minimised to its inherent structure with LAMMPS and the Mendelev Cu–Zr potential (recipes/lammps/quench.in;
/// regenerate with tools/regenerate_glasses.sh). LAMMPS type 1 = Cu, 2 = Zr.
/// </summary>
public static class DemoGlass
{
    /// <summary>Resource name of the gzipped LAMMPS data file.</summary>
    public const string ResourceName = "GlassML.Resources.demo_cu64zr36.data.gz";

    /// <summary>Display name used in summaries.</summary>
    public const string DisplayName = "demo_cu64zr36.data.gz (embedded)";

    /// <summary>Loads the demo glass (atoms sorted by id, species Cu and Zr).</summary>
    public static Frame Load()
    {
        using var s = typeof(DemoGlass).Assembly.GetManifestResourceStream(ResourceName)
            ?? throw new InvalidOperationException($"resource {ResourceName} is missing from the GlassML assembly");
        string tmp = Path.Combine(Path.GetTempPath(), $"glassml-demo-{Environment.ProcessId}-{Guid.NewGuid():N}.data.gz");
        try
        {
            using (var fs = File.Create(tmp)) s.CopyTo(fs);
            var f = LammpsDataReader.Read(tmp, new ReadOptions { TypeNames = new Dictionary<int, string> { [1] = "Cu", [2] = "Zr" } });
            f.SortById();
            return f;
        }
        finally
        {
            File.Delete(tmp);
        }
    }
}
