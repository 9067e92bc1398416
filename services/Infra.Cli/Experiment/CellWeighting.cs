using Infra.Aggregation.Reweighting;
using Infra.Lab.Experiments;

namespace Infra.Cli.Experiment;

/// <summary>
/// The difficulty-flip cell weights from the influence roll-up, by the aggregation service's <see cref="DifficultyFlip"/>
/// with its defaults (see <see cref="Formula"/>). Each training example enters with its cell's mean influence on the
/// queries of its own domain (the roll-up keeps cell means; a cell mean of per-example means is the same m_c, since
/// every scored example has the same queries) and its response tokens as its size.
/// </summary>
internal static class CellWeighting
{
    /// <summary>The formula, recorded in config.json and the results.</summary>
    public const string Formula =
        "Infra.Aggregation DifficultyFlip (defaults): m_c = the cell's mean influence on its own domain's queries; z_c = (m_c - mean) / sd over the cells of the same domain; "
        + "r_c = clamp(exp(z_c), 1/4, 4); w_c = s_d r_c with s_d chosen so each domain keeps its response-token budget";

    /// <summary>Per-example weights (in <paramref name="train"/>'s order) and the per-cell working.</summary>
    public static DifficultyFlipResult Compute(IReadOnlyList<ExperimentExample> train, IReadOnlyList<InfluenceCell> cells)
    {
        ArgumentNullException.ThrowIfNull(train);
        ArgumentNullException.ThrowIfNull(cells);
        var byCell = cells.ToDictionary(c => c.Cell);
        var examples = train.Select(e => new WeightingExample(e.Example.Id, e.Cell.Domain, e.Cell.Difficulty,
            byCell.TryGetValue(e.Cell, out var c) ? (e.Cell.Domain == "math" ? c.OnMath : c.OnCode) : double.NaN, e.LossTokens)).ToList();
        return DifficultyFlip.Compute(examples);
    }
}
