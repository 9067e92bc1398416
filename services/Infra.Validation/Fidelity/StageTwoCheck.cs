using System.Diagnostics;
using Infra.Core.Compression;
using Infra.Torch.Ekfac;
using Infra.Torch.Gradients;
using Infra.Torch.Model;

namespace Infra.Validation.Fidelity;

/// <summary>
/// Stage 2 measured against the reference: the GradientService's exact scorer (<see cref="ExactInfluenceScorer"/>, what
/// <c>ScoreExact</c> runs) on every training example, example scores by its cheap route, and token scores of a few
/// examples by the token route. The reference (<see cref="ExactReference"/>) is computed independently (fp32 example
/// gradients from <see cref="GradientEngine"/> at the identity projection), so agreement is evidence, not a tautology.
/// </summary>
public static class StageTwoCheck
{
    /// <summary>Examples whose token scores are also computed (and checked to sum to their example scores).</summary>
    public const int TokenExamples = 8;

    /// <summary>Runs the check; <paramref name="exact"/> is the reference, <c>[query][example]</c>.</summary>
    public static StageTwoResult Run(Qwen2ForCausalLM model, IReadOnlyList<TrackedLayer> layers, IReadOnlyList<TokenizedExample> training,
        IReadOnlyList<TokenizedExample> queries, IReadOnlyList<EkfacLayerFactors> factors, double[][] exact, int batchSize)
    {
        ArgumentNullException.ThrowIfNull(training);
        ArgumentNullException.ThrowIfNull(exact);
        var computer = new FactorComputer(model, layers);
        using var identity = new Projector(layers, ProjectionSpec.Exact, model.Device);
        var clock = Stopwatch.StartNew();
        using var gradients = new QueryGradientEngine(computer, identity).ComputeFullSpace(queries, MeasurementReduction.Mean, factors, batchSize: batchSize);
        var querySeconds = clock.Elapsed.TotalSeconds;
        var scorer = new ExactInfluenceScorer(computer, gradients.Layers);
        clock.Restart();
        var scores = training.Chunk(batchSize).SelectMany(chunk => scorer.Score(chunk, truncate: false, includeTokens: false)).ToList();
        var exampleSeconds = clock.Elapsed.TotalSeconds;
        clock.Restart();
        var withTokens = scorer.Score(training.Take(TokenExamples).ToList(), truncate: false, includeTokens: true);
        var tokenSeconds = clock.Elapsed.TotalSeconds;

        var scale = exact.SelectMany(r => r).Max(Math.Abs);
        var worst = 0.0;
        for (var q = 0; q < queries.Count; q++)
            for (var n = 0; n < training.Count; n++)
                worst = Math.Max(worst, Math.Abs(scores[n].ExampleScores[q] - exact[q][n]) / scale);
        var tokenSumError = withTokens.Max(s => Enumerable.Range(0, queries.Count)
            .Max(q => Math.Abs(Enumerable.Range(0, s.Tokens).Sum(t => s.TokenScores![t * queries.Count + q]) - scores[training.ToList().FindIndex(e => e.Id == s.ExampleId)].ExampleScores[q]) / scale));
        return new StageTwoResult
        {
            MaxRelativeError = worst,
            TokenSumRelativeError = tokenSumError,
            QuerySeconds = querySeconds,
            ExampleSeconds = exampleSeconds,
            SecondsPerExample = exampleSeconds / training.Count,
            TokenSecondsPerExample = tokenSeconds / Math.Max(1, withTokens.Count),
        };
    }
}
