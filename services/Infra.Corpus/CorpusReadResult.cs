namespace Infra.Corpus;

/// <summary>
/// The outcome of reading a corpus: the valid records, and every invalid line accounted for —
/// <see cref="InvalidLines"/> + Records.Count == <see cref="LineCount"/>, so nothing is dropped silently.
/// </summary>
public sealed record CorpusReadResult(
    IReadOnlyList<CorpusRecord> Records,
    IReadOnlyList<CorpusError> Errors,
    int ErrorCount,
    int InvalidLines,
    int LineCount)
{
    /// <summary>True when every line was valid.</summary>
    public bool IsValid => ErrorCount == 0;

    /// <summary>True when more errors were found than <see cref="Errors"/> holds.</summary>
    public bool ErrorsTruncated => ErrorCount > Errors.Count;
}
