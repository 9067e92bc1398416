namespace Infra.Aggregation.Rollups;

/// <summary>One raw influence score: of training example <see cref="ExampleId"/> on query <see cref="QueryId"/>.</summary>
public sealed record ScoredPair(string ExampleId, string QueryId, double Score)
{
    /// <summary>Highest score first; ties by example id, then query id (ordinal).</summary>
    internal static IComparer<ScoredPair> Highest { get; } = Comparer<ScoredPair>.Create((a, b) =>
    {
        var byScore = b.Score.CompareTo(a.Score);
        return byScore != 0 ? byScore : TieBreak(a, b);
    });

    /// <summary>Lowest score first; ties by example id, then query id (ordinal).</summary>
    internal static IComparer<ScoredPair> Lowest { get; } = Comparer<ScoredPair>.Create((a, b) =>
    {
        var byScore = a.Score.CompareTo(b.Score);
        return byScore != 0 ? byScore : TieBreak(a, b);
    });

    private static int TieBreak(ScoredPair a, ScoredPair b)
    {
        var byExample = string.CompareOrdinal(a.ExampleId, b.ExampleId);
        return byExample != 0 ? byExample : string.CompareOrdinal(a.QueryId, b.QueryId);
    }
}
