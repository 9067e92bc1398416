using Infra.Core.Errors;

namespace Infra.Aggregation.Reweighting;

/// <summary>Input checks shared by the reweighting schemes, so every scheme fails the same way on the same bad input.</summary>
internal static class WeightingChecks
{
    public static void Validate(IReadOnlyList<WeightingExample> examples, bool requireInfluence)
    {
        ArgumentNullException.ThrowIfNull(examples);
        if (examples.Count == 0)
        {
            throw DomainException.InvalidArgument("no examples to weight");
        }
        var ids = new HashSet<string>(StringComparer.Ordinal);
        foreach (var example in examples)
        {
            ArgumentNullException.ThrowIfNull(example, nameof(examples));
            if (string.IsNullOrWhiteSpace(example.Id) || string.IsNullOrWhiteSpace(example.Domain))
            {
                throw DomainException.InvalidArgument("an example has an empty id or domain");
            }
            if (!ids.Add(example.Id))
            {
                throw DomainException.InvalidArgument($"example id '{example.Id}' appears twice");
            }
            if (!(double.IsFinite(example.Tokens) && example.Tokens > 0))
            {
                throw DomainException.InvalidArgument($"example '{example.Id}' has tokens {example.Tokens} (needs a finite value > 0)");
            }
            if (double.IsInfinity(example.Influence) || (requireInfluence && double.IsNaN(example.Influence)))
            {
                throw DomainException.InvalidArgument(
                    $"example '{example.Id}' has influence {example.Influence}; this scheme needs a finite influence for every example (score them all, or drop the unscored ones first)");
            }
        }
    }
}
