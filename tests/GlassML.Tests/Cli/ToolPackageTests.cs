using System.Diagnostics;
using System.Reflection;

namespace GlassML.Tests.Cli;

/// <summary>The CLI is a .NET tool whose command is <c>glassml</c>: packed, installed into a temporary tool path, run.</summary>
public class ToolPackageTests
{
    /// <summary>The repository root (the folder holding GlassML.slnx above the test assembly).</summary>
    internal static string RepoRoot()
    {
        var d = new DirectoryInfo(AppContext.BaseDirectory);
        while (d is not null && !File.Exists(Path.Combine(d.FullName, "GlassML.slnx"))) d = d.Parent;
        return d?.FullName ?? throw new InvalidOperationException("GlassML.slnx not found above " + AppContext.BaseDirectory);
    }

    private static (int Code, string Out, string Err) Run(string exe, string workDir, IDictionary<string, string>? env, params string[] args)
    {
        var psi = new ProcessStartInfo(exe) { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = workDir };
        foreach (var a in args) psi.ArgumentList.Add(a);
        psi.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        psi.Environment["DOTNET_NOLOGO"] = "1";
        psi.Environment["DOTNET_SKIP_FIRST_TIME_EXPERIENCE"] = "1";
        if (env is not null) foreach (var (k, v) in env) psi.Environment[k] = v;
        using var p = Process.Start(psi)!;
        var err = p.StandardError.ReadToEndAsync();
        string o = p.StandardOutput.ReadToEnd();
        if (!p.WaitForExit(300_000)) { p.Kill(true); throw new TimeoutException($"{exe} {string.Join(' ', args)} did not finish in 300 s"); }
        return (p.ExitCode, o, err.Result);
    }

    /// <summary>
    /// <c>dotnet pack</c> (of the build the tests already made) → <c>dotnet tool install --tool-path TMP</c> from that
    /// folder alone (a nuget.config that clears every other source, and a fresh package cache, so it is offline and never
    /// picks up an older package of the same version) → <c>TMP/glassml --version</c> prints the CLI assembly's version.
    /// </summary>
    [Fact]
    public void Packs_installs_and_runs_as_glassml()
    {
        string root = RepoRoot();
        string config = AppContext.BaseDirectory.Contains($"{Path.DirectorySeparatorChar}Debug{Path.DirectorySeparatorChar}", StringComparison.Ordinal) ? "Debug" : "Release";
        string dotnet = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } h && File.Exists(h) ? h : "dotnet";
        string tmp = Path.Combine(Path.GetTempPath(), "glassml-tool-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(tmp);
        try
        {
            string pkgDir = Path.Combine(tmp, "pkg"), toolDir = Path.Combine(tmp, "tool"), cache = Path.Combine(tmp, "cache");
            var pack = Run(dotnet, root, null, "pack", Path.Combine("src", "GlassML.Cli", "GlassML.Cli.csproj"), "-c", config, "--no-build", "-o", pkgDir);
            Assert.True(pack.Code == 0, "dotnet pack failed: " + pack.Out + pack.Err);
            string version = typeof(GlassML.Cli.Program).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()!.InformationalVersion.Split('+')[0];
            Assert.True(File.Exists(Path.Combine(pkgDir, $"GlassML.Cli.{version}.nupkg")), "no GlassML.Cli." + version + ".nupkg in " + string.Join(", ", Directory.GetFiles(pkgDir)));

            string nugetConfig = Path.Combine(tmp, "nuget.config");
            File.WriteAllText(nugetConfig, $"""
                <?xml version="1.0" encoding="utf-8"?>
                <configuration>
                  <packageSources><clear /><add key="local" value="{pkgDir}" /></packageSources>
                </configuration>
                """);
            var install = Run(dotnet, tmp, new Dictionary<string, string> { ["NUGET_PACKAGES"] = cache },
                "tool", "install", "--tool-path", toolDir, "--configfile", nugetConfig, "GlassML.Cli", "--version", version);
            Assert.True(install.Code == 0, "dotnet tool install failed: " + install.Out + install.Err);

            string exe = Path.Combine(toolDir, OperatingSystem.IsWindows() ? "glassml.exe" : "glassml");
            Assert.True(File.Exists(exe), "the installed tool has no command " + exe);
            var run = Run(exe, tmp, null, "--version");
            Assert.True(run.Code == 0, "glassml --version failed: " + run.Out + run.Err);
            Assert.Equal(version, run.Out.Trim().Split('+')[0]);

            var help = Run(exe, tmp, null, "--help");
            Assert.Equal(0, help.Code);
            Assert.Contains("featurize", help.Out, StringComparison.Ordinal);
        }
        finally
        {
            try { Directory.Delete(tmp, true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
        }
    }
}
