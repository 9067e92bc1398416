namespace Infra.Aggregation.Reports;

/// <summary>All tokens of one category taken together.</summary>
/// <param name="Category">The category, e.g. "connector".</param>
/// <param name="Count">Occurrences.</param>
/// <param name="Mean">Mean score per occurrence.</param>
/// <param name="Sum">Summed score.</param>
public sealed record TokenCategoryTotal(string Category, long Count, double Mean, double Sum);
