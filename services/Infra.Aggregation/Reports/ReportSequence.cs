namespace Infra.Aggregation.Reports;

/// <summary>A high-scoring sequence, listed on its own.</summary>
/// <param name="Text">The sequence's text.</param>
/// <param name="Score">Its score: the sum of its tokens' scores.</param>
/// <param name="Tags">Its behaviour tags; empty when untagged.</param>
public sealed record ReportSequence(string Text, double Score, IReadOnlyList<string> Tags)
{
    /// <summary>The example it comes from; null (the default) when not known.</summary>
    public string? ExampleId { get; init; }

    /// <summary>The example's domain; null (the default) when not known.</summary>
    public string? Domain { get; init; }
}
