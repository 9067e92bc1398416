namespace Infra.Aggregation.Reports;

/// <summary>A training example shown as a token heat-map.</summary>
/// <param name="Id">The example's id in the corpus.</param>
/// <param name="Domain">Its domain, e.g. "math".</param>
/// <param name="Difficulty">Its difficulty.</param>
/// <param name="Score">Its score (the sum of its tokens' scores).</param>
/// <param name="Tokens">Its tokens in order; their texts concatenated give the rendered example.</param>
public sealed record ReportExample(string Id, string Domain, int Difficulty, double Score, IReadOnlyList<ReportToken> Tokens)
{
    /// <summary>
    /// Sequence boundaries, as character spans into the concatenated token texts, in order; empty
    /// (the default) when the example was not segmented.
    /// </summary>
    public IReadOnlyList<SequenceBoundary> Sequences { get; init; } = [];

    /// <summary>The query domain whose queries gave <see cref="Score"/>; null (the default) for all queries.</summary>
    public string? QueryDomain { get; init; }
}
