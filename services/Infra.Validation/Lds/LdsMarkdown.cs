using System.Globalization;
using System.Text;
using Infra.Core.Statistics;
using Infra.Validation.Influence;
using Infra.Validation.Statistics;

namespace Infra.Validation.Lds;

/// <summary>The Markdown report of an LDS run: the method x projection table and the run's facts.</summary>
public static class LdsMarkdown
{
    /// <summary>The whole report (<c>results.md</c>).</summary>
    public static string Render(LdsResults results)
    {
        ArgumentNullException.ThrowIfNull(results);
        var o = results.Options;
        var text = new StringBuilder();
        text.AppendLine("# Linear datamodeling score").AppendLine();
        text.AppendLine(Invariant($"{results.Subsets} models retrained on random {o.SubsetFraction:P0} subsets of {results.TrainingExamples} lab examples (Qwen2 hidden {o.HiddenSize} x {o.Layers} layers, {results.Parameters:N0} parameters, {results.TrackedParameters:N0} tracked in the MLP projections; {o.Steps} AdamW steps of {o.BatchSize}, peak learning rate {o.LearningRate}, same initial weights and data-order seed); f = mean answer log-likelihood of {results.Queries} held-out problems. LDS = Spearman between the summed influence scores of a subset and its model's f, per query, averaged over queries; 95 % bootstrap intervals over queries."));
        text.AppendLine();
        text.Append(Table(results));
        text.AppendLine();
        text.AppendLine(Invariant($"- Mean f: {results.FullModelMeanF:F3} on the full-data model, {results.SubsetMeanF:F3} on the subset models; standard deviation of f across subsets, averaged over queries: {results.SubsetFStd:F4}."));
        if (results.NoiseCeiling is { } c)
        {
            text.AppendLine(Invariant($"- Retraining noise: for {results.NoiseSubsets} subsets retrained with another data order, Spearman of f between the two orders (per query, across those subsets) averages {Cell(c)}: the ceiling retraining noise leaves for any predictor is about its square root."));
        }
        text.AppendLine(Invariant($"- Compute: {results.ComputeSeconds / 60:F1} min (training, scoring and measuring, summed over invocations)."));
        return text.ToString();
    }

    /// <summary>The table alone: a row per method, a column per projection, cells "mean [low, high]".</summary>
    public static string Table(LdsResults results)
    {
        ArgumentNullException.ThrowIfNull(results);
        var projections = results.Rows.Select(r => r.Projection).Distinct().ToList();
        var text = new StringBuilder();
        text.AppendLine("| method | " + string.Join(" | ", projections) + " |");
        text.AppendLine("| --- |" + string.Concat(projections.Select(_ => " --- |")));
        foreach (var method in results.Rows.Select(r => r.Method).Distinct().Order())
        {
            var cells = projections.Select(p => results.Rows.FirstOrDefault(r => r.Projection == p && r.Method == method) is { } row ? Cell(row.Lds) : "");
            text.AppendLine(Invariant($"| {Name(method)} | {string.Join(" | ", cells)} |"));
        }
        return text.ToString();
    }

    /// <summary>The report's name of a method.</summary>
    public static string Name(InfluenceMethod method) => method switch
    {
        InfluenceMethod.Identity => "identity",
        InfluenceMethod.Diagonal => "diagonal",
        InfluenceMethod.Kfac => "K-FAC",
        InfluenceMethod.Ekfac => "EK-FAC (projected)",
        InfluenceMethod.EkfacFullSpace => "EK-FAC (full-space, then projected)",
        _ => method.ToString(),
    };

    private static string Cell(MeanInterval m) => Invariant($"{m.Mean:F3} [{m.Low:F3}, {m.High:F3}]");

    private static string Invariant(FormattableString s) => FormattableString.Invariant(s);
}
