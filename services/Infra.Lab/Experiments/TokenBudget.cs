namespace Infra.Lab.Experiments;

/// <summary>
/// Equalises the token budget of a reweighted run with the unweighted one. <c>SftTrainer</c> multiplies an example's
/// summed response-token loss by its weight, so the weighted token count <c>sum_i w_i n_i</c> (n_i: the example's
/// loss tokens) is what a weight spends; scaling every weight so that it equals the unweighted count <c>sum_i n_i</c>
/// makes a reweighted epoch spend exactly the baseline's budget, only distributed differently over the cells.
/// </summary>
public static class TokenBudget
{
    /// <summary>
    /// Per-example weights <c>w_i = c * cellWeight(i)</c> with <c>c</c> chosen so that <c>sum_i w_i n_i = sum_i n_i</c>.
    /// </summary>
    /// <param name="lossTokens">n_i, the loss tokens of each example (all non-negative, at least one positive).</param>
    /// <param name="cellWeights">The raw weight of each example's cell (finite, non-negative, not all zero where n_i > 0).</param>
    /// <exception cref="ArgumentException">Lengths differ, a value is negative or not finite, or the weighted budget is 0.</exception>
    public static double[] Normalise(IReadOnlyList<int> lossTokens, IReadOnlyList<double> cellWeights)
    {
        ArgumentNullException.ThrowIfNull(lossTokens);
        ArgumentNullException.ThrowIfNull(cellWeights);
        if (lossTokens.Count != cellWeights.Count)
            throw new ArgumentException($"{lossTokens.Count} token counts for {cellWeights.Count} weights");
        if (lossTokens.Any(n => n < 0)) throw new ArgumentException("token counts must not be negative", nameof(lossTokens));
        if (cellWeights.Any(w => !double.IsFinite(w) || w < 0)) throw new ArgumentException("weights must be finite and not negative", nameof(cellWeights));
        double tokens = 0, weighted = 0;
        for (var i = 0; i < lossTokens.Count; i++)
        {
            tokens += lossTokens[i];
            weighted += cellWeights[i] * lossTokens[i];
        }
        if (weighted <= 0) throw new ArgumentException("the weighted token count is 0: nothing would be trained on", nameof(cellWeights));
        var scale = tokens / weighted;
        return cellWeights.Select(w => w * scale).ToArray();
    }

    /// <summary>The weighted token count <c>sum_i w_i n_i</c>.</summary>
    public static double Weighted(IReadOnlyList<int> lossTokens, IReadOnlyList<double> weights)
    {
        ArgumentNullException.ThrowIfNull(lossTokens);
        ArgumentNullException.ThrowIfNull(weights);
        if (lossTokens.Count != weights.Count) throw new ArgumentException($"{lossTokens.Count} token counts for {weights.Count} weights");
        double sum = 0;
        for (var i = 0; i < lossTokens.Count; i++) sum += weights[i] * lossTokens[i];
        return sum;
    }
}
