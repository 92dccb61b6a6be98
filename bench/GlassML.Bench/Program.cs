using BenchmarkDotNet.Running;

namespace GlassML.Bench;

/// <summary>BenchmarkDotNet entry: <c>dotnet run -c Release --project bench/GlassML.Bench -- --filter '*'</c>.</summary>
public static class Program
{
    /// <summary>Runs the selected benchmarks.</summary>
    public static void Main(string[] args) => BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
}
