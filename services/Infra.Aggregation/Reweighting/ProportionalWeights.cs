namespace Infra.Aggregation.Reweighting;

/// <summary>
/// Influence-proportional per-example weights: u_i = max(0, I_i)^p; v_i = u_i / mean(u)
/// (all v_i = 1 when every u_i is 0); v'_i = max(v_i, floor); w_i = v'_i / mean(v'), so the weights
/// have mean 1 (the example count is the budget).
/// </summary>
public static class ProportionalWeights
{
    /// <summary>Weights <paramref name="examples"/> (every influence must be finite).</summary>
    /// <exception cref="ArgumentException">No examples, a repeated id, or a NaN/infinite influence.</exception>
    public static IReadOnlyList<WeightedExample> Compute(IReadOnlyList<WeightingExample> examples, ProportionalWeightOptions? options = null)
    {
        options ??= ProportionalWeightOptions.Default;
        options.Validate();
        WeightingChecks.Validate(examples, requireInfluence: true);
        var u = examples.Select(example => Math.Pow(Math.Max(0, example.Influence), options.Power)).ToArray();
        var meanU = u.Average();
        var floored = u.Select(value => Math.Max(meanU > 0 ? value / meanU : 1, options.Floor)).ToArray();
        var meanFloored = floored.Average();
        return examples.Select((example, i) => new WeightedExample(example, floored[i] / meanFloored)).ToList();
    }
}
