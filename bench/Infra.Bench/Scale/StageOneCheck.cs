using System.Diagnostics;
using Infra.Core.Compression;
using Infra.Core.Scoring;
using Infra.Core.Store;

namespace Infra.Bench.Scale;

/// <summary>
/// Stage 1 of a query on a real store: a number of examples with <c>Ĝ</c> of a model shape's MLP layers
/// (k = 64, bf16) written to a <see cref="GradientStore"/>, then one query scored over all of them by
/// <see cref="ExampleScorer"/> (the ScoringService's scan, shards memory-mapped and in the page cache after a warm-up).
/// The cost model predicts the scan at the streaming read rate: the bytes of <c>Ĝ</c> / the rate.
/// </summary>
internal static class StageOneCheck
{
    /// <summary>Median seconds of one single-query scan and the bytes of <c>Ĝ</c> it read.</summary>
    public static (double Seconds, long Bytes) Run(ModelShape shape, int examples, int reps = 5)
    {
        var folder = Directory.CreateTempSubdirectory("infra-scale-stage1-").FullName;
        try
        {
            var layers = Enumerable.Range(0, shape.Layers).SelectMany(i => new[]
            {
                new StoreLayer($"model.layers.{i}.mlp.gate_proj", shape.Hidden, shape.Intermediate, 64, 64),
                new StoreLayer($"model.layers.{i}.mlp.up_proj", shape.Hidden, shape.Intermediate, 64, 64),
                new StoreLayer($"model.layers.{i}.mlp.down_proj", shape.Intermediate, shape.Hidden, 64, 64),
            }).ToList();
            var schema = new StoreSchema { ModelFingerprint = "scale-benchmark", Layers = layers, DType = FactorDType.BFloat16 };
            var random = new Random(5);
            float[] Gradient() => Enumerable.Range(0, 64 * 64).Select(_ => random.NextSingle() - 0.5f).ToArray();
            using var store = GradientStore.OpenOrCreate(folder, schema);
            for (var e = 0; e < examples; e++)
            {
                store.Add(new StoreExample
                {
                    Id = $"ex-{e:D6}",
                    TokenIds = [1, 2],
                    LossMask = [0, 1],
                    ExampleGradients = layers.Select(_ => Gradient()).ToList(),
                });
            }
            store.Flush();
            var query = (IReadOnlyList<float[]>)layers.Select(_ => Gradient()).ToList();
            var scorer = new ExampleScorer(store);
            var seconds = MachineRates.Median(reps, () => scorer.Score([query], ["q"], 10, ScoreFilter.All));
            return (seconds, (long)examples * layers.Count * 64 * 64 * 2);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
