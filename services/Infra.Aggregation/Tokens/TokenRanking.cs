namespace Infra.Aggregation.Tokens;

/// <summary>
/// The token-level read-out of one query domain: every token string with its count, sum and mean
/// influence; the most helpful and most harmful by mean among those seen at least
/// <see cref="TokenRankingOptions.MinCount"/> times; and totals per category.
/// </summary>
/// <param name="Domain">The query domain.</param>
/// <param name="Count">Scores added.</param>
/// <param name="Sum">Their sum.</param>
/// <param name="Tokens">Every (token, category), by mean descending (ties: count descending, then token ordinal).</param>
/// <param name="Top">Up to <see cref="TokenRankingOptions.RankCount"/> tokens with count &gt;= MinCount, highest mean first.</param>
/// <param name="Bottom">Up to <see cref="TokenRankingOptions.RankCount"/> tokens with count &gt;= MinCount, lowest mean first (may overlap <paramref name="Top"/> when few qualify).</param>
/// <param name="Categories">One total per category seen, in enum order.</param>
public sealed record TokenRanking(
    string Domain,
    long Count,
    double Sum,
    IReadOnlyList<TokenStatistic> Tokens,
    IReadOnlyList<TokenStatistic> Top,
    IReadOnlyList<TokenStatistic> Bottom,
    IReadOnlyList<CategoryTotal> Categories);
