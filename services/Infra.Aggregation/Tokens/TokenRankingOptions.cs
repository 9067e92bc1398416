namespace Infra.Aggregation.Tokens;

/// <summary>Settings of <see cref="TokenRankingAccumulator"/>.</summary>
public sealed class TokenRankingOptions
{
    /// <summary>
    /// Fewest occurrences for a token to be ranked in Top/Bottom: a token seen once has a mean that is
    /// one score, and rankings by mean would be all such noise. Defaults to 5.
    /// </summary>
    public int MinCount { get; init; } = 5;

    /// <summary>Tokens in each of Top and Bottom. Defaults to 20.</summary>
    public int RankCount { get; init; } = 20;

    /// <summary>Throws <see cref="ArgumentOutOfRangeException"/> for a count below 1 or a negative rank count.</summary>
    public void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(MinCount, 1, nameof(MinCount));
        ArgumentOutOfRangeException.ThrowIfNegative(RankCount, nameof(RankCount));
    }
}
