namespace Infra.Aggregation.Tokens;

/// <summary>All scores of one token category over a query domain.</summary>
public sealed record CategoryTotal(TokenCategory Category, long Count, double Sum)
{
    /// <summary><see cref="Sum"/> / <see cref="Count"/>.</summary>
    public double Mean => Count == 0 ? 0 : Sum / Count;
}
