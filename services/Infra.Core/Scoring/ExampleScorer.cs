using Infra.Core.Store;

namespace Infra.Core.Scoring;

/// <summary>
/// Example-level influence of every stored example on M preconditioned queries, shard by shard
/// (memory-mapped; memory does not grow with the store), keeping the top and bottom k per query and
/// optionally handing every shard's scores to a dump callback.
/// </summary>
public sealed class ExampleScorer(GradientStore store)
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
        if (rankByNormalized && norms is null) throw new ArgumentException("ranking by normalised scores needs a preconditioner's norms");
        var m = queries.Count;
        var schema = store.Schema;
        var packed = schema.Layers.Select((layer, l) =>
        {
            var p = new float[m * layer.GradientLength];
            for (var q = 0; q < m; q++) queries[q][l].CopyTo(p, q * layer.GradientLength);
            return p;
        }).ToArray();
        var top = Enumerable.Range(0, m).Select(_ => new PriorityQueue<ScoredExample, (double, long)>()).ToArray();
        var bottom = Enumerable.Range(0, m).Select(_ => new PriorityQueue<ScoredExample, (double, long)>()).ToArray();
        var scored = 0;
        long offset = 0;
        foreach (var shard in store.Shards)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var n = shard.Count;
            var raw = new double[n * m];
            for (var l = 0; l < schema.Layers.Count; l++)
            {
                var tensor = ShardTensorNames.ExampleGradients(l);
                LayerScores.Add(shard.ExampleGradientBytes(l), schema.DType, shard.Scales(tensor), n, schema.Layers[l].GradientLength, packed[l], m, raw);
            }
            double[]? normalized = norms is { } nm ? new double[n * m] : null;
            for (var row = 0; row < n; row++)
            {
                var meta = shard.Metadata;
                if (!filter.Accepts(meta.Domains[row], meta.Difficulties[row]))
                {
                    for (var q = 0; q < m; q++) raw[row * m + q] = double.NaN;
                    if (normalized is not null) Array.Fill(normalized, double.NaN, row * m, m);
                    continue;
                }
                scored++;
                for (var q = 0; q < m; q++)
                {
                    var value = raw[row * m + q];
                    double? norm = null;
                    if (normalized is not null)
                    {
                        var denominator = Math.Sqrt(norms!.Value.Examples[offset + row] * norms.Value.Queries[q]);
                        norm = denominator > 0 ? value / denominator : 0;
                        normalized[row * m + q] = norm.Value;
                    }
                    var rank = rankByNormalized ? norm!.Value : value;
                    var example = new ScoredExample(meta.Ids[row], meta.Domains[row], meta.Difficulties[row], value, norm);
                    // Ties: the earlier example (lower store position) wins, so results are deterministic.
                    Keep(top[q], example, (rank, -(offset + row)), k);
                    Keep(bottom[q], example, (-rank, -(offset + row)), k);
                }
            }
            dump?.Invoke(new ShardScores(shard, m, raw, normalized));
            offset += n;
        }
        return Enumerable.Range(0, m).Select(q => new QueryScores(ids[q], scored, Drain(top[q]), Drain(bottom[q]))).ToList();
    }

    // Min-heap of the k largest priorities seen.
    private static void Keep(PriorityQueue<ScoredExample, (double, long)> heap, ScoredExample example, (double, long) priority, int k)
    {
        if (k <= 0) return;
        if (heap.Count < k) heap.Enqueue(example, priority);
        else if (heap.TryPeek(out _, out var smallest) && priority.CompareTo(smallest) > 0) heap.EnqueueDequeue(example, priority);
    }

    private static List<ScoredExample> Drain(PriorityQueue<ScoredExample, (double, long)> heap)
    {
        var items = new List<ScoredExample>(heap.Count);
        while (heap.TryDequeue(out var e, out _)) items.Add(e);
        items.Reverse();
        return items;
    }
}
