namespace Infra.Aggregation.Reweighting;

/// <summary>
/// LESS-style selection: keep the ceil(p · n) examples with the highest influence (weight 1) and
/// drop the rest (weight 0); ties by id (ordinal), so the choice is deterministic.
/// </summary>
public static class TopFractionSelection
{
    /// <summary>The default fraction kept: 0.5.</summary>
    public const double DefaultFraction = 0.5;

    /// <summary>Selects from <paramref name="examples"/> (every influence must be finite); the result is in input order.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="fraction"/> is not in (0, 1].</exception>
    /// <exception cref="ArgumentException">No examples, a repeated id, or a NaN/infinite influence.</exception>
    public static IReadOnlyList<WeightedExample> Select(IReadOnlyList<WeightingExample> examples, double fraction = DefaultFraction)
    {
        if (!(fraction is > 0 and <= 1))
        {
            throw new ArgumentOutOfRangeException(nameof(fraction), fraction, "fraction must be in (0, 1]");
        }
        WeightingChecks.Validate(examples, requireInfluence: true);
        // Rounded first so that 0.3 x 10 (= 3.0000000000000004 in binary) keeps 3, not 4.
        var keep = (int)Math.Ceiling(Math.Round(fraction * examples.Count, 9));
        var kept = examples
            .OrderByDescending(example => example.Influence)
            .ThenBy(example => example.Id, StringComparer.Ordinal)
            .Take(keep)
            .Select(example => example.Id)
            .ToHashSet(StringComparer.Ordinal);
        return examples.Select(example => new WeightedExample(example, kept.Contains(example.Id) ? 1 : 0)).ToList();
    }
}
