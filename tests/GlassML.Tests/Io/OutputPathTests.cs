using System.Runtime.ExceptionServices;
using GlassML.Io;

namespace GlassML.Tests.Io;

/// <summary>
/// <see cref="OutputPath.Resolve"/>: a symbolic link (or a chain of them, or one whose target does not exist yet) is written
/// through to its final target; any other path is its full path, found without an exception (every output of every call is
/// resolved; a first exception costs a short call ≈ 1.5 ms). Alone: the first-chance handler sees every thread's exceptions.
/// </summary>
[Collection("Alone")]
public class OutputPathTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("glassml-outpath-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void LinksResolveToTheirFinalTargetAndOtherPathsWithoutAnException()
    {
        string target = Path.Combine(_dir, "target.csv"), link = Path.Combine(_dir, "link.csv"), chain = Path.Combine(_dir, "chain.csv");
        File.WriteAllText(target, "x\n");
        File.CreateSymbolicLink(link, target);
        File.CreateSymbolicLink(chain, link);
        string dangling = Path.Combine(_dir, "dangling.csv"), later = Path.Combine(_dir, "later.csv");
        File.CreateSymbolicLink(dangling, later);
        Assert.Equal(target, OutputPath.Resolve(link));
        Assert.Equal(target, OutputPath.Resolve(chain));
        Assert.Equal(later, OutputPath.Resolve(dangling));

        int thrown = 0;
        void Seen(object? _, FirstChanceExceptionEventArgs e) => Interlocked.Increment(ref thrown);
        AppDomain.CurrentDomain.FirstChanceException += Seen;
        string[] plain = [Path.Combine(_dir, "new.npy"), Path.Combine(_dir, "missing", "new.npy"), target, _dir];
        string[] got;
        try { got = plain.Select(OutputPath.Resolve).ToArray(); }
        finally { AppDomain.CurrentDomain.FirstChanceException -= Seen; }
        Assert.Equal(plain, got);
        Assert.Equal(0, thrown);
        // a relative path is made full; a path through a file (not a folder) is its full path (the output's creation reports it)
        Assert.Equal(Path.GetFullPath("some-output.csv"), OutputPath.Resolve("some-output.csv"));
        string through = Path.Combine(target, "x.csv");
        Assert.Equal(through, OutputPath.Resolve(through));
    }
}
