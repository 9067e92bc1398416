namespace Infra.Aggregation.Tokens;

/// <summary>The influence of one normalised token string in one category over a query domain.</summary>
/// <param name="Token">The normalised token text (see <see cref="TokenRankingAccumulator.Normalise"/>).</param>
/// <param name="Category">Its category.</param>
/// <param name="Count">Scores added.</param>
/// <param name="Sum">Sum of the scores.</param>
public sealed record TokenStatistic(string Token, TokenCategory Category, long Count, double Sum)
{
    /// <summary><see cref="Sum"/> / <see cref="Count"/>.</summary>
    public double Mean => Count == 0 ? 0 : Sum / Count;
}
