using Infra.Core.Compression;
using Infra.Torch.Gradients;
using Infra.Validation.Fidelity;
using Infra.Validation.Influence;

namespace Infra.Validation.Tests;

/// <summary>
/// <c>infra validate fidelity</c>: the recall metric on hand-made rankings, the streamed exact reference against the
/// estimator's full-space store, and the <c>--quick</c> run's output.
/// </summary>
public sealed class FidelityTests : IDisposable
{
    private readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void Recall_counts_the_reference_extremes_found_among_the_estimate_candidates()
    {
        double[] reference = [9, 8, 7, 6, 5, 4, 3, 2, 1, 0];
        double[] estimate = [8, 0, 9, 1, 7, 2, 6, 3, 5, 4];
        // Reference top 2: {0, 1}. Estimate order: 2, 0, 4, 6, 8, 9, 7, 5, 3, 1.
        Assert.Equal(0.0, CandidateRecall.Top(reference, estimate, 2, 1));
        Assert.Equal(0.5, CandidateRecall.Top(reference, estimate, 2, 2));
        Assert.Equal(0.5, CandidateRecall.Top(reference, estimate, 2, 9));
        Assert.Equal(1.0, CandidateRecall.Top(reference, estimate, 2, 10));
        // Reference bottom 2: {9, 8}. Estimate ascending: 1, 3, 5, 7, 9, 8, ...
        Assert.Equal(0.0, CandidateRecall.Bottom(reference, estimate, 2, 4));
        Assert.Equal(0.5, CandidateRecall.Bottom(reference, estimate, 2, 5));
        Assert.Equal(1.0, CandidateRecall.Bottom(reference, estimate, 2, 6));
        Assert.Equal(1.0, CandidateRecall.Top(reference, reference, 3, 3));
        Assert.Equal(26, CandidateRecall.Candidates(0.10, 256));
        Assert.Equal(52, CandidateRecall.Candidates(0.20, 256));
        Assert.Equal(1, CandidateRecall.Candidates(0.01, 48));
        Assert.Equal(48, CandidateRecall.Candidates(1.0, 48));
        Assert.Throws<ArgumentException>(() => CandidateRecall.Top(reference, [1.0], 2, 2));
    }

    [Fact]
    public void Metrics_average_over_queries_and_a_perfect_estimate_scores_one()
    {
        double[][] exact = [[3, 2, 1, 0], [0, 1, 2, 3]];
        var perfect = FidelityMetrics.Measure(exact, exact, 1, [0.25, 1.0], seed: 0, indexSeconds: 1, querySeconds: 2);
        Assert.Equal(1.0, perfect.Spearman, 12);
        Assert.Equal(1.0, perfect.TopOverlap);
        Assert.Equal([1.0, 1.0], perfect.RecallTop);
        // Reversed on the second query: Spearman -1 there, so 0 on average; its top-1 is the estimate's last.
        double[][] half = [[3, 2, 1, 0], [3, 2, 1, 0]];
        var m = FidelityMetrics.Measure(exact, half, 1, [0.25, 1.0], seed: 0, indexSeconds: 1, querySeconds: 2);
        Assert.Equal(0.0, m.Spearman, 12);
        Assert.Equal(0.5, m.TopOverlap);
        Assert.Equal([0.5, 1.0], m.RecallTop);
        Assert.Equal([0.5, 1.0], m.RecallBottom);
    }

    [Fact]
    public void Streamed_reference_equals_the_estimator_in_the_full_space_and_eigen_truncation_at_full_rank()
    {
        using var model = TinyModels.Create(seed: 5);
        model.eval();
        var layers = new LayerSelection().Select(model);
        var training = TinyModels.Sequences("t", 12, seed: 1);
        var queries = TinyModels.Sequences("q", 3, seed: 2);
        var estimator = new InfluenceEstimator(model, layers, "fidelity-test");
        var factors = estimator.FitFullSpaceEkfac(training);
        try
        {
            var full = layers.Max(l => Math.Max(l.DIn, l.DOut));
            var streamed = new ExactReference(model, layers).Score(training, queries, factors, [full, 4]);
            var stored = estimator.Score(training, queries, ProjectionSpec.Exact, Path.Combine(_temp.Path, "exact"), [InfluenceMethod.EkfacFullSpace], factors)
                .Scores[InfluenceMethod.EkfacFullSpace];
            AssertClose(stored, streamed.Exact, 1e-4);
            AssertClose(streamed.Exact, streamed.EigenTruncated[full], 1e-6);
            Assert.NotEqual(streamed.Exact[0][0], streamed.EigenTruncated[4][0][0]);
        }
        finally
        {
            factors.Dispose();
        }
    }

    [Fact]
    [Trait("Category", "EndToEnd")]
    public void Quick_run_reports_every_path_and_k_with_rankings_in_range()
    {
        var models = Path.Combine(Repository.Root, "models", "default");
        var options = FidelityOptions.Quick(Path.Combine(models, "model"), models);
        var folder = Path.Combine(_temp.Path, "run");
        var results = new FidelityRun(options, folder, TextWriter.Null).Run();

        Assert.Equal(options.Examples, results.Examples.Count);
        Assert.Equal(options.Queries, results.Queries.Count);
        Assert.Equal(12, results.TrackedLayers.Count);
        Assert.Equal(Enum.GetValues<StageOnePath>().Length * options.Dims.Count, results.Rows.Count);
        var last = options.CandidateShares.Count - 1;
        Assert.Equal(1.0, options.CandidateShares[last]);
        Assert.All(results.Rows, r =>
        {
            Assert.InRange(r.Spearman.Mean, -1, 1);
            Assert.InRange(r.TopOverlap.Mean, 0, 1);
            Assert.Equal(1.0, r.RecallTop[last].Mean);
            Assert.Equal(1.0, r.RecallBottom[last].Mean);
            Assert.Equal(2L * r.K * r.K, r.Bf16BytesPerLayer);
            Assert.Equal(12 * 2L * r.K * r.K, r.Bf16BytesTotal);
            Assert.True(r.QuerySeconds.Mean > 0);
        });
        Assert.True(results.ExactSeconds > 0);
        // Stage 2, computed by the GradientService's exact scorer, equals the independently computed reference.
        Assert.InRange(results.StageTwo.MaxRelativeError, 0, 1e-4);
        Assert.InRange(results.StageTwo.TokenSumRelativeError, 0, 1e-9);
        Assert.Contains("| ekfac-store | 16 |", File.ReadAllText(Path.Combine(folder, "results.md")), StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Combine(folder, "results.json")));
        Assert.False(Directory.Exists(Path.Combine(folder, "stores")));
    }

    private static void AssertClose(double[][] expected, double[][] actual, double relative)
    {
        Assert.Equal(expected.Length, actual.Length);
        var scale = expected.SelectMany(r => r).Max(Math.Abs);
        for (var q = 0; q < expected.Length; q++)
        {
            Assert.Equal(expected[q].Length, actual[q].Length);
            for (var n = 0; n < expected[q].Length; n++)
                Assert.True(Math.Abs(expected[q][n] - actual[q][n]) <= relative * scale, $"query {q}, example {n}: {expected[q][n]} vs {actual[q][n]}");
        }
    }
}
