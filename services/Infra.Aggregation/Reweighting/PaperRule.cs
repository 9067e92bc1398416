using Infra.Core.Metadata;

namespace Infra.Aggregation.Reweighting;

/// <summary>
/// The paper's literal reweighting rule, no influence needed: in the "harder" domains (math) weights rise with the
/// difficulty level, in the "easier" domains (code) they fall with it, everywhere else they stay 1.
/// </summary>
/// <remarks>
/// Within a harder or easier domain g, over its labelled examples: L̄ and sd are the mean and population sd of the
/// distinct levels present (unweighted by cell size, as <see cref="DifficultyFlip"/> standardises cells), z = (L − L̄)/sd
/// (0 when sd is 0), r = clamp(exp(±strength · z), MinWeight, MaxWeight), + for harder, − for easier. Then
/// w = s_g · r with s_g = Σ t_i / Σ r_i t_i over g's labelled examples, so each domain keeps its token budget while its
/// unlabelled examples (level 0) keep weight 1: their difficulty is unknown, so the rule has nothing to flip.
/// </remarks>
public static class PaperRule
{
    /// <summary>Weights <paramref name="examples"/> (influence is ignored) by the paper's rule.</summary>
    /// <exception cref="ArgumentException">No examples, a repeated id, tokens that are not finite and &gt; 0, or a domain both harder and easier.</exception>
    public static IReadOnlyList<WeightedExample> Compute(IReadOnlyList<WeightingExample> examples, PaperRuleOptions? options = null)
    {
        options ??= PaperRuleOptions.Default;
        options.Validate();
        WeightingChecks.Validate(examples, requireInfluence: false);
        var weights = examples.ToDictionary(example => example.Id, _ => 1.0, StringComparer.Ordinal);
        foreach (var domain in examples.GroupBy(example => example.Domain, StringComparer.Ordinal))
        {
            var sign = options.HarderDomains.Contains(domain.Key, StringComparer.Ordinal) ? 1
                : options.EasierDomains.Contains(domain.Key, StringComparer.Ordinal) ? -1
                : 0;
            var labelled = domain.Where(example => example.Difficulty != DifficultyScheme.Unlabelled).ToList();
            if (sign == 0 || labelled.Count == 0)
            {
                continue;
            }
            var levels = labelled.Select(example => (double)example.Difficulty).Distinct().ToList();
            var mean = levels.Average();
            var sd = Math.Sqrt(levels.Average(level => (level - mean) * (level - mean)));
            double Raw(WeightingExample example) => Math.Clamp(
                Math.Exp(sign * options.Strength * (sd > 0 ? (example.Difficulty - mean) / sd : 0)), options.MinWeight, options.MaxWeight);
            var scale = labelled.Sum(example => example.Tokens) / labelled.Sum(example => Raw(example) * example.Tokens);
            foreach (var example in labelled)
            {
                weights[example.Id] = scale * Raw(example);
            }
        }
        return examples.Select(example => new WeightedExample(example, weights[example.Id])).ToList();
    }
}
