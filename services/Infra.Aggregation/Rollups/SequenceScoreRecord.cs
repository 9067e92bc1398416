namespace Infra.Aggregation.Rollups;

/// <summary>
/// The influence of one sequence (a segment of a training example's response, e.g. a reasoning
/// step) on the queries of one query domain: <see cref="Score"/> is the sum of its tokens'
/// influence, averaged over that domain's queries (the caller's choice of averaging, stated with
/// the data); <see cref="Tags"/> are its behaviour tags (e.g. "verification", "backtracking"),
/// empty for an untagged sequence.
/// </summary>
public sealed record SequenceScoreRecord(
    string ExampleId,
    int SequenceIndex,
    string TrainingDomain,
    int Difficulty,
    string QueryDomain,
    IReadOnlySet<string> Tags,
    int TokenCount,
    double Score)
{
    /// <summary>Score per token: <see cref="Score"/> / <see cref="TokenCount"/>.</summary>
    public double PerTokenScore => Score / TokenCount;

    /// <summary>Highest score first; ties by example id, then sequence index.</summary>
    internal static IComparer<SequenceScoreRecord> Highest { get; } = Comparer<SequenceScoreRecord>.Create((a, b) =>
    {
        var byScore = b.Score.CompareTo(a.Score);
        return byScore != 0 ? byScore : TieBreak(a, b);
    });

    /// <summary>Lowest score first; ties by example id, then sequence index.</summary>
    internal static IComparer<SequenceScoreRecord> Lowest { get; } = Comparer<SequenceScoreRecord>.Create((a, b) =>
    {
        var byScore = a.Score.CompareTo(b.Score);
        return byScore != 0 ? byScore : TieBreak(a, b);
    });

    private static int TieBreak(SequenceScoreRecord a, SequenceScoreRecord b)
    {
        var byExample = string.CompareOrdinal(a.ExampleId, b.ExampleId);
        return byExample != 0 ? byExample : a.SequenceIndex.CompareTo(b.SequenceIndex);
    }
}
