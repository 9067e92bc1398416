namespace Infra.Aggregation.Reports;

/// <summary>The report's section on which training tokens mattered for one query domain's queries.</summary>
/// <param name="QueryDomain">The queries' domain.</param>
/// <param name="Tokens">Token strings ranked (by summed score, say), best first; the writer keeps the order.</param>
/// <param name="Categories">Totals per token category, in display order.</param>
public sealed record TokenRankingSection(
    string QueryDomain,
    IReadOnlyList<TokenRankingRow> Tokens,
    IReadOnlyList<TokenCategoryTotal> Categories);
