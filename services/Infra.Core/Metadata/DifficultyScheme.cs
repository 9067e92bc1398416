namespace Infra.Core.Metadata;

/// <summary>Where an example's difficulty level comes from.</summary>
public enum DifficultySource
{
    /// <summary>Integer levels read from the corpus as they are (the lab's schema: 1-5).</summary>
    Given,
    /// <summary>Labels mapped to levels by an explicit table ("Level 3" -> 3, interview -> 2).</summary>
    Mapped,
    /// <summary>A numeric column cut into quantile bins (Codeforces ratings -> levels).</summary>
    Binned,
    /// <summary>Estimated from the indexed model: the example's mean answer loss, binned.</summary>
    Estimated,
}

/// <summary>
/// How a store's difficulty levels were obtained; saved with the store and shown in every report so a
/// reader knows what "difficulty 3" means. Level 0 is "unlabelled" everywhere.
/// </summary>
/// <param name="Source">Where the levels come from.</param>
/// <param name="Column">The corpus column read; "" for <see cref="DifficultySource.Estimated"/>.</param>
/// <param name="Mapping">For <see cref="DifficultySource.Mapped"/>: label -> level (ordinal keys); else empty.</param>
/// <param name="BinEdges">For Binned / Estimated: the upper bounds of levels 1..Levels-1, ascending.</param>
/// <param name="Levels">Number of levels.</param>
public sealed record DifficultyScheme(
    DifficultySource Source,
    string Column,
    IReadOnlyDictionary<string, int> Mapping,
    IReadOnlyList<double> BinEdges,
    int Levels)
{
    /// <summary>The level of examples without a label: 0.</summary>
    public const int Unlabelled = 0;

    /// <summary>How an unlabelled level is written in tables and reports: "unlabelled".</summary>
    public const string UnlabelledName = "unlabelled";

    /// <summary>The lab's scheme: integer levels 1-5 in the "difficulty" field.</summary>
    public static DifficultyScheme Given { get; } = new(DifficultySource.Given, "difficulty", new Dictionary<string, int>(), [], 5);

    /// <summary>The level of <paramref name="value"/> under a bin scheme: 1 + the number of edges below it.</summary>
    public static int BinLevel(IReadOnlyList<double> edges, double value)
    {
        ArgumentNullException.ThrowIfNull(edges);
        var level = 1;
        while (level - 1 < edges.Count && value > edges[level - 1])
        {
            level++;
        }
        return level;
    }

    /// <summary>A level as tables write it: the number, or "unlabelled" for 0.</summary>
    public static string LevelName(int level) =>
        level == Unlabelled ? UnlabelledName : level.ToString(System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>One line for people: what the levels mean.</summary>
    public string Describe()
    {
        var inv = System.Globalization.CultureInfo.InvariantCulture;
        return Source switch
        {
            DifficultySource.Given => $"difficulty given as integer levels in column '{Column}'",
            DifficultySource.Mapped => $"column '{Column}' mapped to levels: "
                + string.Join(", ", Mapping.OrderBy(p => p.Value).ThenBy(p => p.Key, StringComparer.Ordinal).Select(p => $"'{p.Key}' -> {p.Value.ToString(inv)}")),
            DifficultySource.Binned => $"column '{Column}' cut into {Levels.ToString(inv)} quantile bins at "
                + string.Join(", ", BinEdges.Select(e => e.ToString("G6", inv))),
            _ => $"estimated from the indexed model: mean answer loss per token cut into {Levels.ToString(inv)} quantile bins at "
                + string.Join(", ", BinEdges.Select(e => e.ToString("G6", inv))),
        };
    }
}
