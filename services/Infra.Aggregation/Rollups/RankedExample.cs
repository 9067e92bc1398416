namespace Infra.Aggregation.Rollups;

/// <summary>
/// A training example ranked by its influence on one query domain: <see cref="Influence"/> is its
/// mean raw score over the <see cref="Queries"/> queries of that domain that scored it.
/// </summary>
public sealed record RankedExample(string ExampleId, string Domain, int Difficulty, double Influence, int Queries)
{
    /// <summary>Highest influence first; ties by example id (ordinal).</summary>
    internal static IComparer<RankedExample> Highest { get; } = Comparer<RankedExample>.Create((a, b) =>
    {
        var byInfluence = b.Influence.CompareTo(a.Influence);
        return byInfluence != 0 ? byInfluence : string.CompareOrdinal(a.ExampleId, b.ExampleId);
    });

    /// <summary>Lowest influence first; ties by example id (ordinal).</summary>
    internal static IComparer<RankedExample> Lowest { get; } = Comparer<RankedExample>.Create((a, b) =>
    {
        var byInfluence = a.Influence.CompareTo(b.Influence);
        return byInfluence != 0 ? byInfluence : string.CompareOrdinal(a.ExampleId, b.ExampleId);
    });
}
