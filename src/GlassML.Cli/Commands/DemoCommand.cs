using System.CommandLine;
using GlassML.Descriptors;
using GlassML.Neighbors;

namespace GlassML.Cli.Commands;

/// <summary>
/// <c>glassml demo</c>: runs the main job on the embedded Cu64Zr36 demo glass and writes the results to a folder.
/// </summary>
public static class DemoCommand
{
    /// <summary>Creates the verb.</summary>
    public static Command Create()
    {
        var outDir = new Option<string>("--out") { Description = "Output folder.", DefaultValueFactory = _ => "glassml-demo" };
        var threads = CliSupport.ThreadsOption();
        var cmd = new Command("demo", "Run GlassML's main job on the embedded Cu64Zr36 demo glass (structure summary, g(r), ...) and write the results to a folder.");
        cmd.Options.Add(outDir);
        cmd.Options.Add(threads);
        cmd.SetAction(pr => CliSupport.Run(() =>
        {
            string dir = pr.GetValue(outDir)!;
            Directory.CreateDirectory(dir);
            var glass = DemoGlass.Load();
            InfoCommand.Print(DemoGlass.DisplayName, glass, 1, glass.Timestep);
            var search = new NeighborSearch(pr.GetValue(threads));
            var g = new PairDistribution(10.0, 200).Compute(glass, search.Ball(glass, 10.0));
            string rdfPath = Path.Combine(dir, "rdf.csv");
            RdfCommand.Write(rdfPath, g);
            Console.WriteLine($"g(r) (total and partial) written to {rdfPath}");
            return 0;
        }));
        return cmd;
    }
}
