namespace Infra.Aggregation.Reweighting;

/// <summary>Input checks shared by the reweighting schemes, so every scheme fails the same way on the same bad input.</summary>
internal static class WeightingChecks
{
    public static void Validate(IReadOnlyList<WeightingExample> examples, bool requireInfluence)
    {
        ArgumentNullException.ThrowIfNull(examples);
        if (examples.Count == 0)
        {
            throw new ArgumentException("no examples to weight", nameof(examples));
        }
        var ids = new HashSet<string>(StringComparer.Ordinal);
        foreach (var example in examples)
        {
            ArgumentNullException.ThrowIfNull(example, nameof(examples));
            if (string.IsNullOrWhiteSpace(example.Id) || string.IsNullOrWhiteSpace(example.Domain))
            {
                throw new ArgumentException("an example has an empty id or domain", nameof(examples));
            }
            if (!ids.Add(example.Id))
            {
                throw new ArgumentException($"example id '{example.Id}' appears twice", nameof(examples));
            }
            if (!(double.IsFinite(example.Tokens) && example.Tokens > 0))
            {
                throw new ArgumentException($"example '{example.Id}' has tokens {example.Tokens} (needs a finite value > 0)", nameof(examples));
            }
            if (double.IsInfinity(example.Influence) || (requireInfluence && double.IsNaN(example.Influence)))
            {
                throw new ArgumentException(
                    $"example '{example.Id}' has influence {example.Influence}; this scheme needs a finite influence for every example (score them all, or drop the unscored ones first)",
                    nameof(examples));
            }
        }
    }
}
