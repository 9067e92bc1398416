using Infra.Lab.Experiments;

namespace Infra.Cli.Experiment;

/// <summary>
/// The difficulty-flip cell weights from the influence roll-up. Until the aggregation service's <c>DifficultyFlip</c>
/// is available this is the experiment's own formula (see <see cref="Formula"/>).
/// </summary>
internal static class CellWeighting
{
    /// <summary>The formula, recorded in config.json and the results.</summary>
    public const string Formula =
        "fallback: w_c = clamp(2^z_c, 1/4, 4), z_c = (m_c - mean(m)) / std(m) over cells, m_c = the cell's mean influence (math and code queries counted equally)";

    /// <summary>The raw (not budget-normalised) weight of every cell in <paramref name="cells"/>.</summary>
    public static IReadOnlyDictionary<CellKey, double> Weights(IReadOnlyList<InfluenceCell> cells)
    {
        ArgumentNullException.ThrowIfNull(cells);
        var finite = cells.Where(c => double.IsFinite(c.Mean)).ToList();
        var mean = finite.Count == 0 ? 0 : finite.Average(c => c.Mean);
        var std = finite.Count < 2 ? 0 : Math.Sqrt(finite.Sum(c => (c.Mean - mean) * (c.Mean - mean)) / (finite.Count - 1));
        return cells.ToDictionary(c => c.Cell, c =>
        {
            if (!double.IsFinite(c.Mean) || std == 0) return 1.0;
            return Math.Clamp(Math.Pow(2, (c.Mean - mean) / std), 0.25, 4);
        });
    }
}
