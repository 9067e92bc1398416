namespace Infra.Corpus;

/// <summary>How a corpus is read: its layout, column names, fixed domain and how difficulty is read.</summary>
public sealed class CorpusReaderOptions
{
    /// <summary>Most errors kept in the result (all are still counted). Defaults to 100.</summary>
    public int MaxErrors { get; init; } = 100;

    /// <summary>The layout; null detects it from the columns the rows have (lab when none matches). Defaults to null.</summary>
    public CorpusLayout? Layout { get; init; }

    /// <summary>Column-name overrides. Defaults to <see cref="CorpusColumns.None"/>.</summary>
    public CorpusColumns Columns { get; init; } = CorpusColumns.None;

    /// <summary>The domain of rows without a domain value (e.g. "science"); null makes such a row an error. Defaults to null.</summary>
    public string? Domain { get; init; }

    /// <summary>
    /// Label -> level table for the difficulty column (Mapped; ordinal keys; level 0 marks a label as unlabelled); see
    /// <see cref="DifficultyMaps"/> for presets. Null reads integer levels as given. Defaults to null.
    /// </summary>
    public IReadOnlyDictionary<string, int>? DifficultyMapping { get; init; }

    /// <summary>Number of quantile bins to cut a numeric difficulty column into (Binned, at least 2); 0 = not binned. Defaults to 0.</summary>
    public int DifficultyBins { get; init; }

    /// <summary>The lab's schema with every default.</summary>
    public static CorpusReaderOptions Default { get; } = new();
}
