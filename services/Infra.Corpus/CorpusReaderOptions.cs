namespace Infra.Corpus;

/// <summary>How a corpus is read.</summary>
public sealed class CorpusReaderOptions
{
    /// <summary>Most errors kept in the result (all are still counted). Defaults to 100.</summary>
    public int MaxErrors { get; init; } = 100;

    public static CorpusReaderOptions Default { get; } = new();
}
