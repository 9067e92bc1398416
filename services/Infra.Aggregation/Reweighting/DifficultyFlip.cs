namespace Infra.Aggregation.Reweighting;

/// <summary>
/// The paper's "difficulty flip" of an SFT set, as per-cell weights driven by influence: cells
/// c = (training domain, difficulty) — or (group, subgroup) of any grouping, see
/// <see cref="WeightingExample.Group"/> — whose examples help the queries more get up-weighted
/// (in the paper: hard math, easy code), the rest down-weighted.
/// </summary>
/// <remarks>
/// m_c = mean influence of the cell's scored examples (see <see cref="WeightingExamples"/> for which
/// queries define it). z_c = (m_c − mean_c' m_c') / sd_c' m_c' over the cells of the same training
/// domain (or all cells; <see cref="DifficultyFlipOptions.StandardizeWithinDomain"/>), population sd,
/// unweighted by cell size; z_c = 0 when the sd is 0, when there is one cell, or when m_c is NaN.
/// r_c = clamp(exp(strength · z_c), MinWeight, MaxWeight). Then w_c = s_g · r_c with
/// s_g = Σ_{i∈g} t_i / Σ_{i∈g} r_{c(i)} t_i over each budget group g (a training domain, or the whole
/// set; <see cref="DifficultyFlipOptions.PreserveDomainBudget"/>), t_i the example's tokens, so the
/// token budget Σ w_i t_i equals Σ t_i in every group. Clamping is before the rescale, so final
/// weights are within [s_g · MinWeight, s_g · MaxWeight].
/// With a two-column grouping the first column's groups play the training domains' part; with one
/// column (every <see cref="WeightingExample.Subgroup"/> "") each group is a cell, standardised among
/// all groups, and only the total budget is kept (a group keeping its own budget would stay at 1).
/// </remarks>
public static class DifficultyFlip
{
    /// <summary>Weights <paramref name="examples"/> by the difficulty flip.</summary>
    /// <exception cref="ArgumentException">No examples, a repeated id, or tokens that are not finite and &gt; 0.</exception>
    public static DifficultyFlipResult Compute(IReadOnlyList<WeightingExample> examples, DifficultyFlipOptions? options = null)
    {
        options ??= DifficultyFlipOptions.Default;
        options.Validate();
        WeightingChecks.Validate(examples, requireInfluence: false);
        var twoColumns = WeightingCells.TwoColumns(examples);
        var cells = WeightingCells.Of(examples, example => example)
            .Select(group =>
            {
                var scored = group.Where(example => !double.IsNaN(example.Influence)).Select(example => example.Influence).ToList();
                var first = group.First();
                return (group.Key.Group, group.Key.Subgroup, first.Domain, first.Difficulty, N: group.Count(), Mean: scored.Count == 0 ? double.NaN : scored.Average());
            })
            .ToList();
        var withinGroup = options.StandardizeWithinDomain && twoColumns;
        var budgetPerGroup = options.PreserveDomainBudget && twoColumns;
        var z = new double[cells.Count];
        foreach (var standardizationGroup in Enumerable.Range(0, cells.Count).GroupBy(c => withinGroup ? cells[c].Group : string.Empty, StringComparer.Ordinal))
        {
            var members = standardizationGroup.Where(c => !double.IsNaN(cells[c].Mean)).ToList();
            if (members.Count < 2)
            {
                continue;
            }
            var mean = members.Average(c => cells[c].Mean);
            var sd = Math.Sqrt(members.Average(c => (cells[c].Mean - mean) * (cells[c].Mean - mean)));
            foreach (var c in members)
            {
                z[c] = sd > 0 ? (cells[c].Mean - mean) / sd : 0;
            }
        }
        var raw = z.Select(value => Math.Clamp(Math.Exp(options.Strength * value), options.MinWeight, options.MaxWeight)).ToArray();
        var cellOf = new Dictionary<(string, string), int>();
        for (var c = 0; c < cells.Count; c++)
        {
            cellOf[(cells[c].Group, cells[c].Subgroup)] = c;
        }
        var scale = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var budgetGroup in examples.GroupBy(example => budgetPerGroup ? example.Group : string.Empty, StringComparer.Ordinal))
        {
            var budget = budgetGroup.Sum(example => example.Tokens);
            var rawBudget = budgetGroup.Sum(example => raw[cellOf[(example.Group, example.Subgroup)]] * example.Tokens);
            scale[budgetGroup.Key] = budget / rawBudget;
        }
        double Scale(string group) => scale[budgetPerGroup ? group : string.Empty];
        var weighted = examples
            .Select(example => new WeightedExample(example, Scale(example.Group) * raw[cellOf[(example.Group, example.Subgroup)]]))
            .ToList();
        var cellRows = cells
            .Select((cell, c) => new DifficultyFlipCell(cell.Domain, cell.Difficulty, cell.N, cell.Mean, z[c], raw[c], Scale(cell.Group) * raw[c])
            {
                Group = cell.Group, Subgroup = cell.Subgroup,
            })
            .ToList();
        return new DifficultyFlipResult(weighted, cellRows);
    }
}
