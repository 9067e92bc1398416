using Infra.Core.Errors;
using Infra.Core.Metadata;

namespace Infra.Aggregation.Rollups;

/// <summary>
/// What a roll-up groups training examples by: one or two columns, each a built-in
/// (<see cref="Domain"/>, <see cref="Difficulty"/>, <see cref="EstimatedDifficulty"/>) or the name of
/// a metadata column of the store. Defaults to <see cref="Default"/> (domain x difficulty, the paper's table).
/// </summary>
/// <remarks>
/// Every example's value of a column is text: the domain as indexed; a difficulty level through
/// <see cref="DifficultyScheme.LevelName"/> (0 is "unlabelled"); a metadata value through
/// <see cref="MetadataValue.ToString"/>, or <see cref="NoValue"/> ("(none)") when the example has none,
/// so examples without a value form a group of their own instead of being dropped.
/// </remarks>
public sealed class Grouping
{
    /// <summary>The built-in column of the example's training domain: "domain".</summary>
    public const string Domain = "domain";

    /// <summary>The built-in column of the example's difficulty level as indexed: "difficulty".</summary>
    public const string Difficulty = "difficulty";

    /// <summary>The store's own difficulty estimate (mean answer loss, binned): "estimated_difficulty".</summary>
    public const string EstimatedDifficulty = "estimated_difficulty";

    /// <summary>The group of examples that have no value in a metadata column: "(none)".</summary>
    public const string NoValue = "(none)";

    /// <summary>The most columns a grouping may have: 2.</summary>
    public const int MaxColumns = 2;

    private Grouping(IReadOnlyList<string> columns) => Columns = columns;

    /// <summary>The paper's grouping: ["domain", "difficulty"].</summary>
    public static Grouping Default { get; } = new([Domain, Difficulty]);

    /// <summary>The grouping columns, one or two, in order (first = group, second = subgroup).</summary>
    public IReadOnlyList<string> Columns { get; }

    /// <summary>The first column (the group).</summary>
    public string GroupColumn => Columns[0];

    /// <summary>The second column (the subgroup); null with one column.</summary>
    public string? SubgroupColumn => Columns.Count > 1 ? Columns[1] : null;

    /// <summary>True for ["domain", "difficulty"]: cells, orders and bootstrap streams exactly as before other groupings existed.</summary>
    public bool IsDefault => Columns.Count == 2 && Columns[0] == Domain && Columns[1] == Difficulty;

    /// <summary>The columns the ScoringService must send per example (ScoreRequest.metadata_columns): all but domain and difficulty.</summary>
    public IReadOnlyList<string> MetadataColumns => Columns.Where(c => c is not (Domain or Difficulty)).ToList();

    /// <summary>True when <paramref name="column"/> holds difficulty levels (given or estimated), whose 0 is "unlabelled".</summary>
    public static bool IsLevelColumn(string column) => column is Difficulty or EstimatedDifficulty;

    /// <summary>
    /// The grouping a request names; empty = <see cref="Default"/>. Whether a metadata column exists is the
    /// ScoringService's to say (it refuses an unknown one naming it).
    /// </summary>
    /// <param name="columns">The requested column names.</param>
    /// <param name="field">The request field named in errors. Defaults to "group_by".</param>
    /// <exception cref="DomainException">More than two columns, an empty name, or a name given twice (INVALID_ARGUMENT naming the field).</exception>
    public static Grouping Parse(IEnumerable<string> columns, string field = "group_by")
    {
        ArgumentNullException.ThrowIfNull(columns);
        var list = columns.ToList();
        if (list.Count == 0)
        {
            return Default;
        }
        if (list.Count > MaxColumns)
        {
            throw DomainException.InvalidArgument(
                $"{field} names {list.Count} columns ({string.Join(", ", list)}); a roll-up groups by one or two", field);
        }
        if (list.Any(string.IsNullOrWhiteSpace))
        {
            throw DomainException.InvalidArgument($"{field} has an empty column name", field);
        }
        if (list.Count == 2 && list[0] == list[1])
        {
            throw DomainException.InvalidArgument($"{field} names column '{list[0]}' twice", field);
        }
        return list.SequenceEqual(Default.Columns) ? Default : new Grouping(list);
    }

    /// <summary>The value of <paramref name="column"/> for <paramref name="example"/>, as text (see the remarks on the type).</summary>
    public static string ValueOf(ExampleAttributes example, string column)
    {
        ArgumentNullException.ThrowIfNull(example);
        return column switch
        {
            Domain => example.Domain,
            Difficulty => DifficultyScheme.LevelName(example.Difficulty),
            _ when example.Metadata is not null && example.Metadata.TryGetValue(column, out var value) => MetadataText(column, value),
            _ => NoValue,
        };
    }

    /// <summary>The columns joined for people: "domain x difficulty".</summary>
    public override string ToString() => string.Join(" x ", Columns);

    // A level column's 0 is "unlabelled" as the built-in difficulty's is; other values as written.
    private static string MetadataText(string column, MetadataValue value) =>
        IsLevelColumn(column) && value.Kind == MetadataKind.Int && value.IntValue == DifficultyScheme.Unlabelled
            ? DifficultyScheme.UnlabelledName
            : value.ToString();
}
