using GlassML.Structure;

namespace GlassML.Io;

/// <summary>Options shared by the structure readers (a record, so a copy with one option changed keeps every other).</summary>
public sealed record ReadOptions
{
    /// <summary>
    /// LAMMPS type number → species name (e.g. 1 → "Cu", 2 → "Zr"). Without it type k is species "k".
    /// When given, every type met in a file must be listed (otherwise the read fails naming the type).
    /// A dump <c>element</c> column or an extended XYZ species column names species itself and ignores this map
    /// (except for integer species labels in extended XYZ, which are treated as type numbers).
    /// </summary>
    public IReadOnlyDictionary<int, string>? TypeNames { get; init; }

    /// <summary>
    /// Receives one line saying how species were inferred when the file does not name them and no
    /// <see cref="TypeNames"/> is given (from a data file's Masses comments, a header comment or pair_coeff list, or the
    /// masses themselves; from a dump's <c>mass</c> column). Null: inferred silently.
    /// </summary>
    public Action<string>? Note { get; init; }

    /// <summary>
    /// Threads that parse the Atoms and Velocities sections of a LAMMPS data file (1, the default: the calling thread only;
    /// 0: all cores). Values and error messages are the same for any count.
    /// </summary>
    public int Threads { get; init; } = 1;

    /// <summary>A copy with <see cref="Threads"/> set.</summary>
    public ReadOptions WithThreads(int threads) => this with { Threads = threads };
}

/// <summary>
/// Maps LAMMPS type numbers and element names to indices of one <see cref="SpeciesTable"/> shared by all
/// frames of a reader, so species indices are stable across frames. With <see cref="ReadOptions.TypeNames"/>
/// the named species are registered up front in increasing type order.
/// </summary>
internal sealed class SpeciesResolver
{
    private readonly IReadOnlyDictionary<int, string>? _names;
    private IReadOnlyDictionary<int, string>? _inferred;
    private readonly Action<string>? _note;
    private readonly Dictionary<int, int> _byType = new();
    private readonly Dictionary<string, int> _byName = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int>.AlternateLookup<ReadOnlySpan<char>> _byNameSpan;

    public SpeciesResolver(ReadOptions? options)
    {
        _names = options?.TypeNames;
        _note = options?.Note;
        _byNameSpan = _byName.GetAlternateLookup<ReadOnlySpan<char>>();
        if (_names is not null)
        {
            foreach (var t in _names.Keys.OrderBy(k => k)) _byType[t] = Table.GetOrAdd(_names[t]);
        }
    }

    public SpeciesTable Table { get; } = new();

    /// <summary>True when no type map was given and no type is registered yet (species may still be inferred).</summary>
    public bool CanInfer => _names is null && _inferred is null && _byType.Count == 0 && _byName.Count == 0;

    /// <summary>Names types by inference (used for types met later too); the note waits for <see cref="FlushNote"/>.</summary>
    public void Infer(IReadOnlyDictionary<int, string> names, string note)
    {
        if (!CanInfer) return;
        _inferred = names;
        _pendingNote = note;
    }

    private string? _pendingNote;

    /// <summary>Tells the note receiver how species were inferred, once, after the frame that needed it was read without error.</summary>
    public void FlushNote()
    {
        if (_pendingNote is null) return;
        _note?.Invoke(_pendingNote);
        _pendingNote = null;
    }

    /// <summary>Registers types not seen before, in increasing order (call with the distinct types of a frame).</summary>
    public void Register(List<int> types, LineSource src, long line)
    {
        if (_names is not null) return; // mapped types are registered already; unmapped ones fail at their atom line
        types.Sort();
        foreach (int t in types) ForType(t, src, line);
    }

    /// <summary>Species index of a type registered already (no registration, no error; safe for concurrent readers).</summary>
    public bool TryKnown(int type, out int index) => _byType.TryGetValue(type, out index);

    /// <summary>Species index of a LAMMPS type.</summary>
    public int ForType(int type, LineSource src, long line)
    {
        if (_byType.TryGetValue(type, out int i)) return i;
        if (type <= 0) throw src.Error(line, $"atom type {type} is not a positive integer");
        string name;
        if (_names is not null)
        {
            if (!_names.TryGetValue(type, out var nm))
                throw src.Error(line, $"atom type {type} has no species name in the type map ({string.Join(",", _names.OrderBy(kv => kv.Key).Select(kv => $"{kv.Key}:{kv.Value}"))})");
            name = nm;
        }
        else if (_inferred is not null && _inferred.TryGetValue(type, out var inf)) name = inf;
        else name = type.ToString(System.Globalization.CultureInfo.InvariantCulture);
        i = Table.GetOrAdd(name);
        _byType[type] = i;
        return i;
    }

    /// <summary>
    /// Species index of a species label: any label (an element symbol such as Cu, ASE's dummy X, Kob–Andersen A and B, …);
    /// element data (mass, atomic number) are attached when the label is an element symbol. Throws for a label that would
    /// break the output tables (see <see cref="Species.CheckLabel"/>).
    /// </summary>
    public int ForName(ReadOnlySpan<char> name, LineSource src, long line)
    {
        if (_byNameSpan.TryGetValue(name, out int i)) return i;
        string s = name.ToString();
        if (Species.LabelProblem(s) is string problem) throw src.Error(line, problem);
        i = Table.GetOrAdd(s);
        _byName[s] = i;
        return i;
    }

    /// <summary>
    /// Species index of an extended-XYZ species label: an integer is treated as a LAMMPS type, anything else names the
    /// species itself (<see cref="ForName"/>).
    /// </summary>
    public int ForLabel(ReadOnlySpan<char> label, LineSource src, long line)
    {
        if (_byNameSpan.TryGetValue(label, out int i)) return i;
        if (int.TryParse(label, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out int t))
        {
            i = ForType(t, src, line);
            _byName[label.ToString()] = i;
            return i;
        }
        return ForName(label, src, line);
    }
}
