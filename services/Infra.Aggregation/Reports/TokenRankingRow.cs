namespace Infra.Aggregation.Reports;

/// <summary>One token string's scores over all its occurrences in the training data.</summary>
/// <param name="Token">The token's text as decoded (may hold spaces, newlines, &lt; and quotes).</param>
/// <param name="Category">Its category: "connector", "number", "operator", "code keyword", "punctuation/syntax", "identifier", or other.</param>
/// <param name="Count">Occurrences.</param>
/// <param name="Mean">Mean score per occurrence.</param>
/// <param name="Sum">Summed score.</param>
public sealed record TokenRankingRow(string Token, string Category, long Count, double Mean, double Sum);
