using System.Globalization;
using System.Text;
using Infra.Core.Compression;
using Infra.Core.Statistics;
using Infra.Core.Text;
using Infra.Torch.Gradients;
using Infra.Torch.Model;
using Infra.Torch.Training;
using Infra.Validation.Influence;
using Infra.Validation.Lds;
using Infra.Validation.Statistics;

namespace Infra.Validation.Exact;

/// <summary>
/// Every approximation against exact damped influence (<see cref="ExactInfluence"/>) on a tiny trained model: identity,
/// diagonal, K-FAC, EK-FAC (projected, at several k and in the full space) and full-space EK-FAC, plus the exact
/// block-diagonal inverse (what any layer-wise method can reach at best).
/// </summary>
public static class ExactComparison
{
    /// <summary>Trains the tiny model, computes exact and approximate scores, and compares their rankings.</summary>
    /// <param name="options">The setting.</param>
    /// <param name="workFolder">Scratch space for the gradient stores.</param>
    public static IReadOnlyList<ExactComparisonRow> Run(ExactComparisonOptions options, string workFolder)
    {
        ArgumentNullException.ThrowIfNull(options);
        var tokenizer = HfTokenizer.LoadFolder(options.TokenizerFolder);
        var corpus = LdsCorpus.Build(new LdsOptions
        {
            TokenizerFolder = options.TokenizerFolder, CorpusSeed = options.Seed, TrainExamples = options.TrainExamples,
            Queries = options.Queries, MaxTokens = 128,
        }, tokenizer);
        var config = new Infra.Core.Checkpoints.HfModelConfig
        {
            ModelType = "qwen2", HiddenSize = options.HiddenSize, IntermediateSize = 2 * options.HiddenSize, NumHiddenLayers = options.Layers,
            NumAttentionHeads = 4, NumKeyValueHeads = 2, VocabSize = tokenizer.VocabSize, MaxPositionEmbeddings = 128, RopeTheta = 1_000_000,
            TieWordEmbeddings = true,
        };
        using var model = SeededCheckpoint.Create(config, options.Seed);
        new SftTrainer(model, new SftOptions { LearningRate = 3e-3, MaxSteps = options.Steps, WarmupSteps = 3, Seed = options.Seed, MaxLength = 128 })
            .Train(corpus.TrainingFor(Enumerable.Range(0, corpus.Training.Count)));
        model.eval();
        var layers = new LayerSelection().Select(model);

        var exact = ExactInfluence.Scores(model, layers, corpus.Training, corpus.Queries);
        var rows = new List<ExactComparisonRow> { Compare("exact, block-diagonal", "full", exact, ExactInfluence.Scores(model, layers, corpus.Training, corpus.Queries, blockDiagonal: true), options.TopK) };
        var estimator = new InfluenceEstimator(model, layers, "exact-comparison");
        var fullSpace = estimator.FitFullSpaceEkfac(corpus.Training);
        try
        {
            var specs = options.ProjectionDims.Select(k => new ProjectionSpec { KIn = k, KOut = k }).Append(ProjectionSpec.Exact);
            foreach (var spec in specs)
            {
                var folder = Path.Combine(workFolder, spec.Identity ? "full" : $"k{spec.KIn}");
                if (Directory.Exists(folder)) Directory.Delete(folder, recursive: true);
                var scores = estimator.Score(corpus.Training, corpus.Queries, spec, folder, InfluenceEstimator.AllMethods, fullSpace);
                foreach (var (method, values) in scores.Scores.OrderBy(kv => kv.Key))
                    rows.Add(Compare(LdsMarkdown.Name(method), scores.Projection, exact, values, options.TopK));
            }
        }
        finally
        {
            fullSpace.Dispose();
        }
        return rows;
    }

    /// <summary>A Markdown table: a row per method and projection.</summary>
    public static string Markdown(IReadOnlyList<ExactComparisonRow> rows, int topK)
    {
        ArgumentNullException.ThrowIfNull(rows);
        var text = new StringBuilder();
        text.AppendLine(CultureInfo.InvariantCulture, $"| method | projection | Spearman vs exact | top-{topK} overlap |");
        text.AppendLine("| --- | --- | --- | --- |");
        foreach (var r in rows)
            text.AppendLine(CultureInfo.InvariantCulture, $"| {r.Method} | {r.Projection} | {Cell(r.Spearman)} | {Cell(r.TopKOverlap)} |");
        return text.ToString();
    }

    private static ExactComparisonRow Compare(string method, string projection, double[][] exact, double[][] estimate, int topK) => new()
    {
        Method = method,
        Projection = projection,
        Spearman = Bootstrap.Mean(exact.Select((e, q) => Ranking.Spearman(e, estimate[q])).ToList()),
        TopKOverlap = Bootstrap.Mean(exact.Select((e, q) => Ranking.TopKOverlap(e, estimate[q], topK)).ToList()),
    };

    private static string Cell(MeanInterval m) => string.Create(CultureInfo.InvariantCulture, $"{m.Mean:F3} [{m.Low:F3}, {m.High:F3}]");
}
