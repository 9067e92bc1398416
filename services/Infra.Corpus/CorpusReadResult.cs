using Infra.Core.Metadata;

namespace Infra.Corpus;

/// <summary>
/// The outcome of reading a corpus: the valid records, every invalid line accounted for —
/// <see cref="InvalidLines"/> + Records.Count == <see cref="LineCount"/>, so nothing is dropped silently — and the
/// difficulty scheme used (with its computed bin edges), which the index step saves with the store.
/// </summary>
public sealed record CorpusReadResult(
    IReadOnlyList<CorpusRecord> Records,
    IReadOnlyList<CorpusError> Errors,
    int ErrorCount,
    int InvalidLines,
    int LineCount,
    DifficultyScheme Scheme)
{
    /// <summary>True when every line was valid.</summary>
    public bool IsValid => ErrorCount == 0;

    /// <summary>True when more errors were found than <see cref="Errors"/> holds.</summary>
    public bool ErrorsTruncated => ErrorCount > Errors.Count;

    /// <summary>How many records have no difficulty level (level 0, "unlabelled").</summary>
    public int Unlabelled => Records.Count(r => r.Difficulty == DifficultyScheme.Unlabelled);

    /// <summary>This result with at most <paramref name="maxErrors"/> errors kept (all still counted).</summary>
    internal CorpusReadResult Capped(int maxErrors) => Errors.Count <= maxErrors ? this : this with { Errors = Errors.Take(maxErrors).ToList() };
}
