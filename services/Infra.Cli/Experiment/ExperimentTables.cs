using System.Globalization;
using System.Text;
using Infra.Lab.Experiments;
using Infra.Torch.Evaluation;

namespace Infra.Cli.Experiment;

/// <summary>The accuracy table over seeds and the Markdown rendering of a run's results.</summary>
internal static class ExperimentTables
{
    private static readonly CultureInfo Ic = CultureInfo.InvariantCulture;

    /// <summary>
    /// Per condition: one row per evaluation cell, one per domain (difficulty 0) and one overall (domain "all"), each
    /// with the accuracy of every seed and their mean and spread.
    /// </summary>
    public static IReadOnlyList<AccuracyRow> Accuracy(IReadOnlyList<UnitResult> units, IReadOnlyList<CellKey> cells) =>
        Rows(units, cells, u => u.Cells.Select(c => (c.Domain, c.Difficulty, c.Items, (double)c.Correct)),
            (condition, domain, difficulty, items, perSeed) => new AccuracyRow(condition, domain, difficulty, items, perSeed, SeedSpread.Of(perSeed)));

    /// <summary>
    /// As <see cref="Accuracy"/>, for the held-out reference responses' mean answer log-likelihood (pooled over a row's
    /// problems); with <paramref name="stripped"/>, on the exploration-stripped references (units without it are skipped).
    /// </summary>
    public static IReadOnlyList<LikelihoodRow> Likelihood(IReadOnlyList<UnitResult> units, IReadOnlyList<CellKey> cells, bool stripped) =>
        Rows(stripped ? units.Where(u => u.StrippedLogLikelihood is not null).ToList() : units, cells,
            u => (stripped ? u.StrippedLogLikelihood! : u.LogLikelihood).Select(c => (c.Domain, c.Difficulty, c.Items, c.Sum)),
            (condition, domain, difficulty, items, perSeed) => new LikelihoodRow(condition, domain, difficulty, items, perSeed, SeedSpread.Of(perSeed)));

    // A row pools its cells' (items, sum) per seed into sum / items: accuracy when the sum counts correct answers.
    private static List<TRow> Rows<TRow>(IReadOnlyList<UnitResult> units, IReadOnlyList<CellKey> cells,
        Func<UnitResult, IEnumerable<(string Domain, int Difficulty, int Items, double Sum)>> cellsOf,
        Func<string, string, int, int, IReadOnlyList<double>, TRow> make)
    {
        var rows = new List<TRow>();
        foreach (var condition in ExperimentConditions.All.Select(ExperimentConditions.Name))
        {
            // The seeds this condition has finished (all of them once the run is complete).
            var bySeed = units.Where(u => u.Condition == condition).OrderBy(u => u.Seed).ToList();
            if (bySeed.Count == 0) continue;
            TRow Row(string domain, int difficulty, Func<(string Domain, int Difficulty, int Items, double Sum), bool> include)
            {
                var perSeed = bySeed.Select(u =>
                {
                    var chosen = cellsOf(u).Where(include).ToList();
                    var items = chosen.Sum(c => c.Items);
                    return (Items: items, Value: items == 0 ? 0 : chosen.Sum(c => c.Sum) / items);
                }).ToList();
                return make(condition, domain, difficulty, perSeed[0].Items, perSeed.Select(p => p.Value).ToList());
            }
            foreach (var cell in cells) rows.Add(Row(cell.Domain, cell.Difficulty, c => c.Domain == cell.Domain && c.Difficulty == cell.Difficulty));
            foreach (var domain in cells.Select(c => c.Domain).Distinct()) rows.Add(Row(domain, 0, c => c.Domain == domain));
            rows.Add(Row("all", 0, _ => true));
        }
        return rows;
    }

    /// <summary>results.md: configuration, influence roll-up, cell weights, budgets and accuracy by condition.</summary>
    public static string Markdown(ExperimentResults r)
    {
        var c = r.Config;
        var md = new StringBuilder();
        md.AppendLine("# Difficulty-flip experiment (miniature)").AppendLine();
        md.AppendLine(Ic, $"Command: `{r.Command}`").AppendLine();
        md.AppendLine("## Configuration").AppendLine();
        md.AppendLine(Ic, $"- corpus: lab corpus seed {c.CorpusSeed} (the embedded default's), chats <= {c.MaxTokens} tokens of the default's tokenizer; {r.TrainExamples} training problems (<= {c.TrainPerCell} per domain x difficulty cell), {r.ExamplesWithExploration} of them with tagged exploratory spans");
        md.AppendLine(Ic, $"- response tokens per epoch: {r.LossTokensPerEpoch:N0}; with the exploratory spans stripped: {r.AblatedLossTokensPerEpoch:N0} ({1 - (double)r.AblatedLossTokensPerEpoch / r.LossTokensPerEpoch:P1} fewer)");
        md.AppendLine(Ic, $"- evaluation: {r.EvaluationItems} held-out problems (the default's held-out split without the influence queries, <= {c.EvalPerCell} per cell), greedy decoding up to {c.MaxNewTokens} new tokens, `AnswerChecker`");
        md.AppendLine(Ic, $"- model: Qwen2 trained from scratch, hidden {c.HiddenSize}, {c.Layers} layers, 4 heads / 2 KV heads, MLP {4 * c.HiddenSize}, tied embeddings, the default's tokenizer");
        md.AppendLine(Ic, $"- training: batch {c.BatchSize}, {(c.MaxSteps is { } m ? $"{m} steps" : $"{c.Epochs} epochs")}, AdamW peak lr {c.LearningRate:G3} ({c.WarmupSteps} warm-up steps, cosine to 10 %), weight decay 0.1, clip 1.0; seeds {string.Join(", ", c.Seeds)} (initial weights and data order; the corpus is fixed)");
        md.AppendLine(Ic, $"- influence model: {r.InfluenceModel}");
        md.AppendLine(Ic, $"- influence: {r.Influence.Examples} training examples (<= {c.InfluencePerCell} per cell) x {r.Influence.MathQueries} math + {r.Influence.CodeQueries} code queries (held-out problems the default answers correctly), full-space EK-FAC, projection {c.ProjectionDim}, GradientService + ScoringService on loopback ({r.Influence.Seconds:F0} s)");
        md.AppendLine(Ic, $"- cell weights: {c.WeightFormula}; then scaled so that sum_i w_i n_i = sum_i n_i (n_i: response tokens), relative error {r.BudgetRelativeError:E1}");
        md.AppendLine(Ic, $"- wall time of this invocation: {r.WallSeconds / 60:F1} min ({r.UnitsRunNow} runs done now); compute over all invocations: {r.ComputeSeconds / 60:F1} min").AppendLine();

        md.AppendLine("## Influence roll-up and cell weights").AppendLine();
        md.AppendLine(Ic, $"Cell means: {r.Influence.Fidelity.ToUpperInvariant()} (the AggregationService's roll-up of every example on every query).").AppendLine();
        md.AppendLine("| cell | examples | mean influence on math queries | on code queries | m_c (own domain) | z_c | r_c | weight w_c | token share | weighted share |");
        md.AppendLine("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        foreach (var w in r.CellWeights)
        {
            var inf = r.Influence.Cells.FirstOrDefault(x => x.Cell == w.Cell);
            md.AppendLine(Ic, $"| {w.Cell} | {w.Examples} | {G(inf?.OnMath)} | {G(inf?.OnCode)} | {G(w.MeanInfluence)} | {w.Z:F2} | {w.RawWeight:F3} | {w.Weight:F3} | {w.TokenShare:P1} | {w.WeightedTokenShare:P1} |");
        }
        md.AppendLine();
        md.AppendLine("## Budget").AppendLine();
        md.AppendLine("| condition | steps | response tokens trained | weighted tokens (sum w n) |").AppendLine("|---|---:|---:|---:|");
        foreach (var b in r.Budgets) md.AppendLine(Ic, $"| {b.Condition} | {b.Steps} | {b.LossTokens:N0} | {b.WeightedLossTokens:N0} |");
        md.AppendLine();

        md.AppendLine("## Held-out accuracy").AppendLine();
        var conditions = ExperimentConditions.All.Select(ExperimentConditions.Name).Where(cond => r.Accuracy.Any(a => a.Condition == cond)).ToList();
        var seedCounts = string.Join(", ", conditions.Select(cond => $"{cond} {r.Units.Count(u => u.Condition == cond)}"));
        md.AppendLine(Ic, $"Mean ± sample std over seeds ({seedCounts}), [min, max]; difficulty \"all\" pools the domain's items.").AppendLine();
        if (r.RunsComplete < r.RunsPlanned)
            md.AppendLine(Ic, $"**Partial: {r.RunsComplete} of {r.RunsPlanned} runs complete**; rerun the command to continue.").AppendLine();
        if (conditions.Count == 0) return md.ToString();
        Table(md, conditions, r.Accuracy.Select(a => (a.Condition, a.Domain, a.Difficulty, a.Items, a.Accuracy)),
            a => string.Create(Ic, $"{a.Mean:P1} ± {a.StandardDeviation * 100:F1} [{a.Min * 100:F1}, {a.Max * 100:F1}]"));

        md.AppendLine("## Held-out answer log-likelihood").AppendLine();
        md.AppendLine("The paper's measurement f = (1/n) sum_t log p(answer token t) of each held-out problem's reference response (nats per token; higher is better), averaged over the row's problems; mean ± sample std over seeds [min, max]. Unlike accuracy it does not sit at the floor on cells the models rarely solve.").AppendLine();
        Table(md, conditions, r.LogLikelihood.Select(a => (a.Condition, a.Domain, a.Difficulty, a.Items, a.LogLikelihood)),
            a => string.Create(Ic, $"{a.Mean:F4} ± {a.StandardDeviation:F4} [{a.Min:F4}, {a.Max:F4}]"));
        if (r.StrippedLogLikelihood.Count > 0)
        {
            md.AppendLine("### On the references with their exploratory spans stripped").AppendLine();
            md.AppendLine("The exploration-ablation model never trains on exploratory spans, so the full references penalise it for them; this table measures every condition on the references as the ablation trains (problems without spans are unchanged).").AppendLine();
            var strippedConditions = conditions.Where(cond => r.StrippedLogLikelihood.Any(a => a.Condition == cond)).ToList();
            Table(md, strippedConditions, r.StrippedLogLikelihood.Select(a => (a.Condition, a.Domain, a.Difficulty, a.Items, a.LogLikelihood)),
                a => string.Create(Ic, $"{a.Mean:F4} ± {a.StandardDeviation:F4} [{a.Min:F4}, {a.Max:F4}]"));
        }
        md.AppendLine("## Runs").AppendLine();
        md.AppendLine("| condition | seed | steps | first loss | final loss | train s | eval s | accuracy | answer log-likelihood |").AppendLine("|---|---:|---:|---:|---:|---:|---:|---:|---:|");
        foreach (var u in r.Units)
        {
            var items = u.Cells.Sum(x => x.Items);
            md.AppendLine(Ic, $"| {u.Condition} | {u.Seed} | {u.Steps} | {u.FirstLoss:F3} | {u.FinalLoss:F3} | {u.TrainingSeconds:F0} | {u.EvaluationSeconds:F0} | {u.Cells.Sum(x => x.Correct)}/{items} | {u.LogLikelihood.Sum(x => x.Sum) / u.LogLikelihood.Sum(x => x.Items):F4} |");
        }
        return md.ToString();
    }

    // One row per (domain, difficulty) of the first condition, one column per condition.
    private static void Table(StringBuilder md, List<string> conditions,
        IEnumerable<(string Condition, string Domain, int Difficulty, int Items, SeedSpread Spread)> rows, Func<SeedSpread, string> format)
    {
        var all = rows.ToList();
        md.AppendLine("| domain | difficulty | items | " + string.Join(" | ", conditions) + " |");
        md.AppendLine("|---|---:|---:|" + string.Concat(conditions.Select(_ => "---:|")));
        foreach (var key in all.Where(a => a.Condition == conditions[0]))
        {
            var cellsText = conditions.Select(cond => format(all.Single(x => x.Condition == cond && x.Domain == key.Domain && x.Difficulty == key.Difficulty).Spread));
            md.AppendLine(Ic, $"| {key.Domain} | {(key.Difficulty == 0 ? "all" : key.Difficulty.ToString(Ic))} | {key.Items} | {string.Join(" | ", cellsText)} |");
        }
        md.AppendLine();
    }

    private static string G(double? value) => value is { } v && double.IsFinite(v) ? v.ToString("G3", Ic) : "-";
}
