using System.Numerics.Tensors;
using Infra.Core.Kernels;

namespace Infra.Bench.Scoring;

/// <summary>
/// Token-level figures, the pre-issue-17 route (<see cref="PerTokenRoute"/>) and the fused kernel on the same data in
/// the same round: one 64 x 64 layer scored as one call over all tokens, and M queries over every layer scored
/// example by example (as <c>TokenScorer</c> does: each example's tokens through each layer, summed over layers;
/// the fused route packs each layer's queries once per run, the old one took them unpacked on every call).
/// </summary>
internal sealed class TokenWorkload
{
    private readonly int tokens, k, layers, m, exampleTokens;
    private readonly float[][] a, g, q;

    public TokenWorkload(int tokens, int k, int layers, int m, int exampleTokens)
    {
        (this.tokens, this.k, this.layers, this.m, this.exampleTokens) = (tokens, k, layers, m, exampleTokens);
        var random = new Random(8);
        float[] Values(int count) => Enumerable.Range(0, count).Select(_ => (float)(random.NextDouble() * 2 - 1)).ToArray();
        a = Enumerable.Range(0, layers).Select(_ => Values(tokens * k)).ToArray();
        g = Enumerable.Range(0, layers).Select(_ => Values(tokens * k)).ToArray();
        q = Enumerable.Range(0, layers).Select(_ => Values(m * k * k)).ToArray();
    }

    public void Measure(RoundSeries series, int reps, double fmaPeak)
    {
        var old = new float[tokens * m];
        var fused = new float[tokens * m];
        foreach (var queries in new[] { 1, m })
        {
            var qs = q[0].AsSpan(0, queries * k * k).ToArray();
            var flops = 2.0 * tokens * queries * k * (k + 1);
            var before = tokens / Timing.MedianSeconds(() => PerTokenRoute.Score(a[0], g[0], tokens, k, k, qs, queries, old.AsSpan(0, tokens * queries)), reps);
            var after = tokens / Timing.MedianSeconds(() => TokenScoreKernels.Score(a[0], g[0], tokens, k, k, qs, queries, fused.AsSpan(0, tokens * queries)), reps);
            var name = $"token-level M={queries}, one {k} x {k} layer, {tokens:N0} tokens in one call";
            series.Add($"{name}: per-token route", before / 1e6, "M tokens/s");
            series.Add($"{name}: fused", after / 1e6, "M tokens/s", $"{after * flops / tokens / 1e9:F0} GFLOP/s in the last round");
            series.Add($"ratio: {name}, fused / per-token route", after / before, "x");
            series.Add($"ratio: {name}, fused / FMA peak", after * flops / tokens / 1e9 / fmaPeak, "x");
            series.Add($"token-level M={queries}: max |fused - per-token| / max |score|", MaxRelativeDifference(fused, old, tokens * queries), "");
        }

        // Every layer, example by example.
        var perExample = new float[exampleTokens * m];
        var layerScores = new float[exampleTokens * m];
        var examples = tokens / exampleTokens;
        var oldSeconds = Timing.MedianSeconds(() =>
        {
            for (var e = 0; e < examples; e++)
            {
                Array.Clear(perExample);
                for (var l = 0; l < layers; l++)
                {
                    PerTokenRoute.Score(a[l].AsSpan(e * exampleTokens * k, exampleTokens * k), g[l].AsSpan(e * exampleTokens * k, exampleTokens * k), exampleTokens, k, k, q[l], m, layerScores);
                    TensorPrimitives.Add(perExample, layerScores, perExample);
                }
                perExample.CopyTo(old, e * exampleTokens * m);
            }
        }, reps);
        var fusedSeconds = Timing.MedianSeconds(() =>
        {
            var panels = q.Select(layer => new LayerQueryPanels(layer, m, k, k)).ToArray();
            for (var e = 0; e < examples; e++)
            {
                Array.Clear(perExample);
                for (var l = 0; l < layers; l++)
                {
                    TokenScoreKernels.Score(a[l].AsSpan(e * exampleTokens * k, exampleTokens * k), g[l].AsSpan(e * exampleTokens * k, exampleTokens * k), exampleTokens, panels[l], layerScores);
                    TensorPrimitives.Add(perExample, layerScores, perExample);
                }
                perExample.CopyTo(fused, e * exampleTokens * m);
            }
        }, reps);
        var scored = examples * exampleTokens;
        var all = $"token-level M={m}, {layers} layers of {k} x {k}, {examples} examples of {exampleTokens} tokens";
        series.Add($"{all}: per-token route", scored / oldSeconds / 1e6, "M tokens/s", "each token through every layer");
        series.Add($"{all}: fused", scored / fusedSeconds / 1e6, "M tokens/s", $"{2.0 * scored * layers * m * k * (k + 1) / fusedSeconds / 1e9:F0} GFLOP/s in the last round");
        series.Add($"ratio: {all}, fused / per-token route", oldSeconds / fusedSeconds, "x", "target >= 10");
        series.Add($"ratio: {all}, fused / FMA peak", 2.0 * scored * layers * m * k * (k + 1) / fusedSeconds / 1e9 / fmaPeak, "x");
        series.Add($"token-level {layers} layers: max |fused - per-token| / max |score|", MaxRelativeDifference(fused, old, scored * m), "");
    }

    private static double MaxRelativeDifference(float[] x, float[] y, int count)
    {
        double diff = 0, max = 0;
        for (var i = 0; i < count; i++)
        {
            diff = Math.Max(diff, Math.Abs(x[i] - y[i]));
            max = Math.Max(max, Math.Abs(y[i]));
        }
        return max == 0 ? diff : diff / max;
    }
}
