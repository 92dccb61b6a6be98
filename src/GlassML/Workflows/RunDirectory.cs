using GlassML.Descriptors;
using GlassML.Io;
using GlassML.Reporting;
using GlassML.Structure;

namespace GlassML.Workflows;

/// <summary>
/// The folder one <c>train</c> (or report-producing) run writes: <c>model.json</c>, tables (CSV with a header),
/// per-atom results (extended XYZ that OVITO colours by any column, and CSV; rows by increasing id), plots (plots/NAME.svg
/// with plots/NAME.csv of their data), <c>run.json</c> (provenance), <c>report.json</c> and <c>report.html</c>.
/// Everything is written into a hidden staging folder beside the destination and moved into place by
/// <see cref="Commit"/>, so a failed run leaves no partial output and never touches an earlier run's folder. An existing
/// destination is replaced only when it is empty or an earlier GlassML run (it holds run.json).
/// </summary>
public sealed class RunDirectory : IDisposable
{
    private bool _committed;
    private List<string> _createdParents = [];

    private RunDirectory(string final, string staging, RunRecord record, string title)
    {
        Final = final; Root = staging; Record = record; Report = new Report(title);
    }

    /// <summary>The destination folder.</summary>
    public string Final { get; }
    /// <summary>Where files are written until <see cref="Commit"/> (the staging folder).</summary>
    public string Root { get; }
    /// <summary>Provenance written to run.json.</summary>
    public RunRecord Record { get; }
    /// <summary>What the report shows.</summary>
    public Report Report { get; }

    /// <summary>Starts a run directory; checks the destination before any work is done.</summary>
    /// <exception cref="ArgumentException">The destination is a file, or a non-empty folder that is not a GlassML run.</exception>
    public static RunDirectory Begin(string dir, RunRecord record, string title)
    {
        string final = Path.GetFullPath(dir);
        if (File.Exists(final)) throw new ArgumentException($"--out: '{dir}' is a file, not a folder");
        if (Directory.Exists(final) && Directory.EnumerateFileSystemEntries(final).Any() && !File.Exists(Path.Combine(final, "run.json")))
            throw new ArgumentException($"--out: '{dir}' is a non-empty folder that is not a GlassML run directory; choose another");
        string parent = Path.GetDirectoryName(final) ?? ".";
        var created = OutputPath.CreateFolders(parent);   // missing parents are created, and removed again if the run fails
        string staging = Path.Combine(parent, $".{Path.GetFileName(final)}.partial-{Environment.ProcessId}-{Guid.NewGuid():N}");
        Directory.CreateDirectory(staging);
        return new RunDirectory(final, staging, record, title) { _createdParents = created };
    }

    /// <summary>Full path of a file inside the staging folder (sub-folders are created).</summary>
    public string PathOf(string relative)
    {
        string p = Path.Combine(Root, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(p)!);
        return p;
    }

    /// <summary>Writes a table as NAME (relative path ending in .csv) and optionally lists it in a report section.</summary>
    public void WriteTable(string relative, ResultTable table, string? section = null, string caption = "", int maxRows = 40)
    {
        table.WriteCsv(PathOf(relative));
        if (section is not null) Report.Section(section).Tables.Add(new ReportTable(relative.Replace('\\', '/'), caption, maxRows));
    }

    /// <summary>Writes per-atom values of a frame as STEM.xyz (extended XYZ) and STEM.csv (id, type, species, values).</summary>
    public void WritePerAtom(string stem, Frame frame, PerAtomFeatures values)
    {
        ExtendedXyzWriter.Write(PathOf(stem + ".xyz"), [(frame, (PerAtomFeatures?)values)], Record.Threads);
        CsvWriter.Write(PathOf(stem + ".csv"), frame, values, Record.Threads);
    }

    /// <summary>Writes a figure (plots/NAME.svg and plots/NAME.csv) and shows it in a report section.</summary>
    public void AddFigure(string section, Figure figure)
    {
        string svg = PathOf(Path.Combine("plots", figure.Name + ".svg"));
        if (File.Exists(svg)) throw new ArgumentException($"figure name '{figure.Name}' is used twice");
        AtomicFile.WriteText(svg, w => w.Write(figure.Svg));
        figure.Data.WriteCsv(PathOf(Path.Combine("plots", figure.Name + ".csv")));
        Report.Section(section).Figures.Add(new ReportFigure(figure.Name, figure.Title, figure.Caption));
    }

    /// <summary>
    /// Writes run.json, report.json and report.html, then moves the staging folder to the destination (replacing an
    /// earlier run there). Returns the destination.
    /// </summary>
    public string Commit()
    {
        Record.Write(Path.Combine(Root, "run.json"));
        Report.Save(Path.Combine(Root, "report.json"));
        HtmlReport.Build(Root);
        string? old = null;
        if (Directory.Exists(Final))
        {
            old = Path.Combine(Path.GetDirectoryName(Final)!, $".{Path.GetFileName(Final)}.old-{Environment.ProcessId}-{Guid.NewGuid():N}");
            Directory.Move(Final, old);
        }
        Directory.Move(Root, Final);
        if (old is not null) Directory.Delete(old, recursive: true);
        _committed = true;
        return Final;
    }

    /// <summary>Removes the staging folder unless the run was committed.</summary>
    public void Dispose()
    {
        if (!_committed && Directory.Exists(Root))
        {
            try { Directory.Delete(Root, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
            OutputPath.RemoveCreated(_createdParents);
        }
    }
}
