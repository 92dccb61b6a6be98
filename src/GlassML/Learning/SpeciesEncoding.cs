namespace GlassML.Learning;

/// <summary>
/// One-hot species columns: <c>species_&lt;S&gt;</c> = 1 for rows whose centre species is S, else 0, appended to a table's
/// features so any learner can use an atom's own species.
/// </summary>
public static class SpeciesEncoding
{
    /// <summary>Prefix of the one-hot columns.</summary>
    public const string Prefix = "species_";

    /// <summary>
    /// The table with one column <c>species_S</c> per species S of <paramref name="species"/> (default: the table's
    /// species in ordinal order) appended.
    /// </summary>
    /// <exception cref="ArgumentException">The table has no species, a row's species is not in the list, or a column of that name exists.</exception>
    public static FeatureTable OneHot(FeatureTable table, IReadOnlyList<string>? species = null)
    {
        ArgumentNullException.ThrowIfNull(table);
        var sp = table.Species ?? throw new ArgumentException("one-hot species columns need a species column in the table");
        var list = species ?? sp.Distinct().Order(StringComparer.Ordinal).ToArray();
        var index = new Dictionary<string, int>(StringComparer.Ordinal);
        for (int s = 0; s < list.Count; s++) index[list[s]] = s;
        var names = table.Columns.Concat(list.Select(s => Prefix + s)).ToArray();
        if (names.Distinct(StringComparer.Ordinal).Count() != names.Length)
            throw new ArgumentException($"the table already has a column named {Prefix}<species>");
        int f = table.ColumnCount, g = names.Length;
        var v = new double[(long)table.Rows * g];
        for (int r = 0; r < table.Rows; r++)
        {
            table.Row(r).CopyTo(v.AsSpan(r * g, f));
            if (!index.TryGetValue(sp[r], out int s))
                throw new ArgumentException($"row {r + 1}: species '{sp[r]}' is not one of the model's species ({string.Join(", ", list)})");
            v[(long)r * g + f + s] = 1;
        }
        return new FeatureTable(names, table.Rows, v, table.Labels, table.Groups, table.Ids, table.Species);
    }

    /// <summary>The species of a model's one-hot columns (its feature names with the <see cref="Prefix"/>), in column order.</summary>
    public static string[] SpeciesOf(IReadOnlyList<string> featureNames) =>
        featureNames.Where(n => n.StartsWith(Prefix, StringComparison.Ordinal)).Select(n => n[Prefix.Length..]).ToArray();
}
