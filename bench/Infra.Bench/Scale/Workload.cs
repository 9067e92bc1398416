namespace Infra.Bench.Scale;

/// <summary>What an index run does per example, as the cost model needs it.</summary>
/// <param name="Tokens">Tokens per example (prompt + response).</param>
/// <param name="LossFraction">Share of the tokens that carry loss (the response). Defaults to 0.5.</param>
/// <param name="K">Projected dims <c>k_in = k_out</c> per tracked layer (MLP gate, up, down of every decoder layer). Defaults to 64.</param>
/// <param name="StoreBytesPerValue">Bytes per stored factor value. Defaults to 2 (bf16, the store's default).</param>
/// <param name="TokenFactors">Whether per-token factors are stored (token-level scoring from the store). Defaults to false: the
/// compact store; token scores are recomputed exactly where they are read.</param>
internal sealed record Workload(int Tokens, double LossFraction = 0.5, int K = 64, int StoreBytesPerValue = 2, bool TokenFactors = false)
{
    /// <summary>Loss tokens per example.</summary>
    public double LossTokens => Tokens * LossFraction;
}
