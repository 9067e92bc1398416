namespace Infra.Corpus;

/// <summary>
/// A corpus file that cannot be read as a whole: missing, not JSONL or Parquet of the schema, or with invalid lines or
/// rows. <see cref="Details"/> lists every problem found (line or row numbers from 1), at most 100.
/// </summary>
public sealed class CorpusFormatException : Exception
{
    /// <summary>A failure with no per-line details.</summary>
    public CorpusFormatException(string message) : base(message)
    {
    }

    /// <summary>A failure caused by <paramref name="inner"/> (e.g. an unreadable Parquet footer).</summary>
    public CorpusFormatException(string message, Exception inner) : base(message, inner)
    {
    }

    /// <summary>A failure with the problems of each bad line or row.</summary>
    public CorpusFormatException(string message, IReadOnlyList<string> details) : base(message) => Details = details;

    /// <summary>The problems found, one per bad line or row field; empty when the failure is about the whole file.</summary>
    public IReadOnlyList<string> Details { get; } = [];
}
