using System.Diagnostics;
using Infra.Core.Checkpoints;
using Infra.Core.Compression;
using Infra.Core.Text;
using Infra.Torch.Ekfac;
using Infra.Torch.Gradients;
using Infra.Torch.Model;
using Infra.Validation.Influence;
using Infra.Validation.Lds;
using static TorchSharp.torch;

namespace Infra.Validation.Fidelity;

/// <summary>
/// Measures every stage-1 path against exact full-space EK-FAC influence on the default model: fits full-space EK-FAC,
/// computes the exact reference (and the eigen-truncated path) in one streamed pass, then for each k and projection
/// seed indexes the training examples into a projected fp32 store and scores the queries by each store path, timing
/// both. Writes <c>results.json</c> and <c>results.md</c> to the output folder.
/// </summary>
/// <param name="options">The setting.</param>
/// <param name="outFolder">Where the results go (created); the temporary stores live under it and are removed.</param>
/// <param name="log">Progress lines.</param>
public sealed class FidelityRun(FidelityOptions options, string outFolder, TextWriter log)
{
    /// <summary>Runs the measurement and writes the results.</summary>
    public FidelityResults Run()
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        var wall = Stopwatch.StartNew();
        var tokenizer = HfTokenizer.LoadFolder(options.ModelFolder);
        var corpus = FidelityCorpus.Load(options, tokenizer);
        using var model = CheckpointLoader.Load(CheckpointFolder.Open(options.ModelFolder), CPU, ScalarType.Float32);
        model.eval();
        var layers = new LayerSelection().Select(model);
        log.WriteLine($"[fidelity] {corpus.Training.Count} examples, {corpus.Queries.Count} queries, {layers.Count} tracked layers; "
            + $"k in {{{string.Join(", ", options.Dims)}}}, {options.Seeds} seed(s) ({wall.Elapsed.TotalSeconds:F0} s)");

        var estimator = new InfluenceEstimator(model, layers, "fidelity", options.BatchSize);
        var clock = Stopwatch.StartNew();
        var fullSpace = estimator.FitFullSpaceEkfac(corpus.Training);
        var fitSeconds = clock.Elapsed.TotalSeconds;
        var stores = Path.Combine(outFolder, "stores");
        try
        {
            var eigenDims = options.Paths.Contains(StageOnePath.EigenTruncated) ? options.Dims : [];
            var reference = new ExactReference(model, layers, options.BatchSize).Score(corpus.Training, corpus.Queries, fullSpace, eigenDims);
            log.WriteLine($"[fidelity] full-space EK-FAC fitted in {fitSeconds:F1} s, exact reference in {reference.ExactSeconds:F1} s");
            var stageTwo = StageTwoCheck.Run(model, layers, corpus.Training, corpus.Queries, fullSpace, reference.Exact, options.BatchSize);
            log.WriteLine($"[fidelity] stage 2 (exact recomputation) vs the reference: max error {stageTwo.MaxRelativeError:E1} of the largest score; "
                + $"{1e3 * stageTwo.SecondsPerExample:F0} ms per example for {corpus.Queries.Count} queries");
            var measured = new Dictionary<(StageOnePath, int), List<SeedMeasurement>>();
            foreach (var k in options.Dims)
            {
                if (eigenDims.Contains(k))
                {
                    measured[(StageOnePath.EigenTruncated, k)] = [Measure(reference.Exact, reference.EigenTruncated[k], null, double.NaN, reference.EigenSeconds)];
                }
                for (var seed = 0UL; seed < (ulong)options.Seeds; seed++)
                {
                    foreach (var (path, m) in ScoreProjected(estimator, corpus, fullSpace, k, seed, Path.Combine(stores, $"k{k}-seed{seed}"), reference.Exact))
                    {
                        if (!measured.TryGetValue((path, k), out var list)) measured[(path, k)] = list = [];
                        list.Add(m);
                    }
                    log.WriteLine($"[fidelity] k = {k}, seed {seed} done ({wall.Elapsed.TotalSeconds:F0} s)");
                }
            }
            var rows = options.Paths.SelectMany(p => options.Dims.Where(k => measured.ContainsKey((p, k))).Select(k => Row(p, k, layers, measured[(p, k)]))).ToList();
            var results = new FidelityResults
            {
                Options = options,
                Examples = corpus.Training.Select(e => e.Id).ToList(),
                Queries = corpus.Queries.Select(q => q.Id).ToList(),
                TrackedLayers = layers.Select(l => l.Name).ToList(),
                CandidateCounts = options.CandidateShares.Select(s => CandidateRecall.Candidates(s, corpus.Training.Count)).ToList(),
                FitSeconds = fitSeconds,
                ExactSeconds = reference.ExactSeconds,
                StageTwo = stageTwo,
                Rows = rows,
                Cpu = CpuDescription(),
                WallSeconds = wall.Elapsed.TotalSeconds,
            };
            Directory.CreateDirectory(outFolder);
            JsonFiles.Write(Path.Combine(outFolder, "results.json"), results);
            JsonFiles.WriteText(Path.Combine(outFolder, "results.md"), FidelityMarkdown.Render(results));
            return results;
        }
        finally
        {
            fullSpace.Dispose();
            if (Directory.Exists(stores)) Directory.Delete(stores, recursive: true);
        }
    }

    private List<(StageOnePath Path, SeedMeasurement Measurement)> ScoreProjected(InfluenceEstimator estimator, FidelityCorpus corpus,
        IReadOnlyList<EkfacLayerFactors> fullSpace, int k, ulong seed, string folder, double[][] exact)
    {
        var spec = new ProjectionSpec { KIn = k, KOut = k, Seed = seed };
        var clock = Stopwatch.StartNew();
        // No method: only indexes the store, which each scoring call below then reuses.
        estimator.Score(corpus.Training, corpus.Queries, spec, folder, []);
        var indexSeconds = clock.Elapsed.TotalSeconds;
        var results = new List<(StageOnePath Path, SeedMeasurement Measurement)>();
        foreach (var path in options.Paths.Where(p => p != StageOnePath.EigenTruncated))
        {
            var method = Method(path);
            clock.Restart();
            var scores = estimator.Score(corpus.Training, corpus.Queries, spec, folder, [method], fullSpace).Scores[method];
            var querySeconds = clock.Elapsed.TotalSeconds;
            results.Add((path, Measure(exact, scores, seed, indexSeconds, querySeconds)));
        }
        Directory.Delete(folder, recursive: true);
        return results;
    }

    private SeedMeasurement Measure(double[][] exact, double[][] estimate, ulong? seed, double indexSeconds, double querySeconds) =>
        FidelityMetrics.Measure(exact, estimate, options.TopK, options.CandidateShares, seed, indexSeconds, querySeconds);

    private static FidelityRow Row(StageOnePath path, int k, IReadOnlyList<TrackedLayer> layers, List<SeedMeasurement> seeds)
    {
        var cells = layers.Select(l => (KIn: (long)Math.Min(k, l.DIn), KOut: (long)Math.Min(k, l.DOut))).ToList();
        return new FidelityRow
        {
            Path = StageOnePaths.Name(path),
            K = k,
            Bf16BytesPerLayer = cells.Max(c => 2 * c.KIn * c.KOut),
            Int8BytesPerLayer = cells.Max(c => c.KIn * c.KOut + 4 * c.KOut),
            Bf16BytesTotal = cells.Sum(c => 2 * c.KIn * c.KOut),
            Int8BytesTotal = cells.Sum(c => c.KIn * c.KOut + 4 * c.KOut),
            Spearman = Spread.Of(seeds.Select(s => s.Spearman).ToList()),
            TopOverlap = Spread.Of(seeds.Select(s => s.TopOverlap).ToList()),
            RecallTop = Enumerable.Range(0, seeds[0].RecallTop.Count).Select(i => Spread.Of(seeds.Select(s => s.RecallTop[i]).ToList())).ToList(),
            RecallBottom = Enumerable.Range(0, seeds[0].RecallBottom.Count).Select(i => Spread.Of(seeds.Select(s => s.RecallBottom[i]).ToList())).ToList(),
            IndexSeconds = Spread.Of(seeds.Select(s => s.IndexSeconds).ToList()),
            QuerySeconds = Spread.Of(seeds.Select(s => s.QuerySeconds).ToList()),
            Seeds = seeds,
        };
    }

    private static InfluenceMethod Method(StageOnePath path) => path switch
    {
        StageOnePath.EkfacStore => InfluenceMethod.Ekfac,
        StageOnePath.EkfacFullSpaceProjected => InfluenceMethod.EkfacFullSpace,
        StageOnePath.Identity => InfluenceMethod.Identity,
        _ => throw new ArgumentOutOfRangeException(nameof(path), path, "not a projected-store path"),
    };

    private static string CpuDescription()
    {
        var model = File.Exists("/proc/cpuinfo")
            ? File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))?.Split(':', 2)[1].Trim()
            : null;
        return $"{model ?? "unknown CPU"}, {Environment.ProcessorCount} logical cores";
    }
}
