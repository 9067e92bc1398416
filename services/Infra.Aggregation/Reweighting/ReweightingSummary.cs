using Infra.Core.Errors;

namespace Infra.Aggregation.Reweighting;

/// <summary>Per-cell summary of a reweighting (see <see cref="ReweightingCellSummary"/>); shares are of tokens, i.e. of examples when tokens are 1.</summary>
public static class ReweightingSummary
{
    /// <summary>One row per cell (group, subgroup: domain x difficulty by default), in the roll-ups' order (numbers ascending, "unlabelled" last).</summary>
    public static IReadOnlyList<ReweightingCellSummary> Summarize(IReadOnlyList<WeightedExample> weighted)
    {
        ArgumentNullException.ThrowIfNull(weighted);
        if (weighted.Count == 0)
        {
            throw DomainException.InvalidArgument("no weighted examples to summarise");
        }
        var oldTotal = weighted.Sum(item => item.Example.Tokens);
        var newTotal = weighted.Sum(item => item.Weight * item.Example.Tokens);
        return WeightingCells.Of(weighted, item => item.Example)
            .Select(group =>
            {
                var scored = group.Where(item => !double.IsNaN(item.Example.Influence)).ToList();
                return new ReweightingCellSummary(
                    group.First().Example.Domain,
                    group.First().Example.Difficulty,
                    group.Count(),
                    group.Sum(item => item.Example.Tokens) / oldTotal,
                    newTotal > 0 ? group.Sum(item => item.Weight * item.Example.Tokens) / newTotal : double.NaN,
                    group.Average(item => item.Weight),
                    scored.Count == 0 ? double.NaN : scored.Average(item => item.Example.Influence))
                {
                    Group = group.Key.Group, Subgroup = group.Key.Subgroup,
                };
            })
            .ToList();
    }
}
