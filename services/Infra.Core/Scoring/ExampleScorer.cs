using Infra.Core.Kernels;
using Infra.Core.Store;
using Infra.Core.Errors;

namespace Infra.Core.Scoring;

/// <summary>
/// Example-level influence of every stored example on M preconditioned queries, shard by shard
/// (memory-mapped; memory does not grow with the store), keeping the top and bottom k per query and
/// optionally handing every shard's scores to a dump callback. Ranking uses the kernels' fp32 scores;
/// the scores reported for the kept examples are recomputed from their decoded stored gradients by
/// <see cref="InfluenceScore.Example"/> (an fp32 dot product per layer, the layers summed in double).
/// </summary>
public sealed class ExampleScorer(IStoreView store)
{
    /// <param name="queries">Per query, per layer <c>Q̃</c> (already preconditioned).</param>
    /// <param name="ids">Query ids, for the results.</param>
    /// <param name="k">Examples kept at each end per query.</param>
    /// <param name="filter">Which examples count.</param>
    /// <param name="norms">For normalised scores: each stored example's self-influence (store order) and each query's; null for raw only.</param>
    /// <param name="rankByNormalized">Rank by the normalised score instead of the raw one.</param>
    /// <param name="dump">Receives every shard's scores when set.</param>
    /// <param name="cancellationToken">Checked between shards.</param>
    public IReadOnlyList<QueryScores> Score(IReadOnlyList<IReadOnlyList<float[]>> queries, IReadOnlyList<string> ids, int k, ScoreFilter filter,
        (double[] Examples, double[] Queries)? norms = null, bool rankByNormalized = false, Action<ShardScores>? dump = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(queries);
        ArgumentNullException.ThrowIfNull(ids);
        ArgumentNullException.ThrowIfNull(filter);
        if (rankByNormalized && norms is null) throw DomainException.InvalidArgument("ranking by normalised scores needs a preconditioner's norms");
        var m = queries.Count;
        var schema = store.Schema;
        var packed = schema.Layers.Select((layer, l) =>
        {
            var p = new float[m * layer.GradientLength];
            for (var q = 0; q < m; q++) queries[q][l].CopyTo(p, q * layer.GradientLength);
            return p;
        }).ToArray();
        var top = Enumerable.Range(0, m).Select(_ => new TopKAccumulator(Math.Max(k, 0), largest: true)).ToArray();
        var bottom = Enumerable.Range(0, m).Select(_ => new TopKAccumulator(Math.Max(k, 0), largest: false)).ToArray();
        var offsets = new List<long>();
        var scored = 0;
        long offset = 0;
        foreach (var shard in store.Shards)
        {
            cancellationToken.ThrowIfCancellationRequested();
            offsets.Add(offset);
            var n = shard.Count;
            var raw = new double[n * m];
            ScoreLayers(shard, schema, n, packed, m, raw);
            var normalized = norms is not null ? new double[n * m] : null;
            var meta = shard.Metadata;
            for (var row = 0; row < n; row++)
            {
                if (!filter.Accepts(meta.Domains[row], meta.Difficulties[row]))
                {
                    Array.Fill(raw, double.NaN, row * m, m);
                    if (normalized is not null) Array.Fill(normalized, double.NaN, row * m, m);
                    continue;
                }
                scored++;
                for (var q = 0; q < m; q++)
                {
                    if (normalized is not null) normalized[row * m + q] = Normalize(raw[row * m + q], norms!.Value.Examples[offset + row], norms.Value.Queries[q]);
                    var rank = (float)(rankByNormalized ? normalized![row * m + q] : raw[row * m + q]);
                    top[q].Add(offset + row, rank);
                    bottom[q].Add(offset + row, rank);
                }
            }
            dump?.Invoke(new ShardScores(shard, m, raw, normalized));
            offset += n;
        }
        return Enumerable.Range(0, m).Select(q => new QueryScores(ids[q], scored,
            Resolve(top[q], offsets, queries[q], q, norms), Resolve(bottom[q], offsets, queries[q], q, norms))).ToList();
    }

    // Every layer of one shard into raw. A layer's call below the kernel's parallel threshold runs on one core (a shard of
    // a many-layer store: ~450 rows x 4,096 per layer at Qwen2.5-0.5B's 72 MLP layers, which left stage 1 at a third of
    // the streaming read), so such layers are scored side by side instead; either way they are added in layer order,
    // so the sums are those of one layer after the other.
    private static void ScoreLayers(ShardReader shard, StoreSchema schema, int n, float[][] packed, int m, double[] raw)
    {
        var layers = schema.Layers.Count;
        var perLayer = new float[layers][];
        void Layer(int l) => perLayer[l] = LayerScores.Compute(shard.ExampleGradientBytes(l), schema.DType,
            shard.Scales(ShardTensorNames.ExampleGradients(l)), n, schema.Layers[l].GradientLength, packed[l], m);
        var small = layers > 1 && schema.Layers.All(layer => (long)n * layer.GradientLength * m < ParallelLayerWork);
        if (small && Environment.ProcessorCount > 1)
            Parallel.For(0, layers, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount }, Layer);
        else
            for (var l = 0; l < layers; l++) Layer(l);
        foreach (var layer in perLayer)
            for (var i = 0; i < layer.Length; i++) raw[i] += layer[i];
    }

    // The kernels' own threshold for splitting one call over the cores (ScoreJob.ParallelThreshold).
    private const long ParallelLayerWork = 1L << 22;

    private static double Normalize(double raw, double exampleSelf, double querySelf)
    {
        var denominator = Math.Sqrt(exampleSelf * querySelf);
        return denominator > 0 ? raw / denominator : 0;
    }

    // The kept examples with their scores recomputed from the decoded gradients (fp32 dot per layer, summed in double).
    private List<ScoredExample> Resolve(TopKAccumulator kept, List<long> offsets, IReadOnlyList<float[]> query, int q, (double[] Examples, double[] Queries)? norms)
    {
        return kept.ToSortedArray().Select(hit =>
        {
            var shardIndex = offsets.BinarySearch(hit.Index);
            if (shardIndex < 0) shardIndex = ~shardIndex - 1;
            var shard = store.Shards[shardIndex];
            var row = (int)(hit.Index - offsets[shardIndex]);
            var gradients = Enumerable.Range(0, store.Schema.Layers.Count).Select(l => shard.DecodeExampleGradient(row, l)).ToList();
            var raw = InfluenceScore.Example(query, gradients);
            double? normalized = norms is { } nm ? Normalize(raw, nm.Examples[hit.Index], nm.Queries[q]) : null;
            return new ScoredExample(shard.Metadata.Ids[row], shard.Metadata.Domains[row], shard.Metadata.Difficulties[row], raw, normalized);
        }).ToList();
    }
}
