using System.Numerics.Tensors;
using Infra.Core.Kernels;
using Infra.Core.Store;
using Infra.Core.Errors;

namespace Infra.Core.Scoring;

/// <summary>One example's token-level influence on M queries.</summary>
/// <param name="ExampleId">The example.</param>
/// <param name="Scores"><c>scores[t * M + m]</c>: token t's influence on query m (fp32, summed over layers).</param>
/// <param name="Tokens">The example's token details (ids, mask, text and character spans).</param>
/// <param name="ExampleScores">Per query, <c>sum_t scores[t * M + m]</c> summed in double: the example-level score up to storage rounding.</param>
public sealed record ExampleTokenScores(string ExampleId, float[] Scores, TokenDetails Tokens, double[] ExampleScores);

/// <summary>
/// Token-level influence: <c>s_t = sum over layers of ĝ_tᵀ Q̃ â_t</c> for stored examples and M
/// preconditioned queries. <c>sum_t s_t</c> equals the example-level score (the factors of
/// <c>Ĝ = sum_t ĝ_t â_tᵀ</c>), up to storage rounding.
/// </summary>
public sealed class TokenScorer(IStoreView store)
{
    /// <summary>Examples read per block by <see cref="ScoreMany"/>: each shard's token details are decoded once per block. Defaults to 256.</summary>
    public const int DefaultBlock = 256;

    /// <returns><c>scores[t * M + m]</c>, and the example's token details.</returns>
    /// <exception cref="DomainException">NotFound: an unknown example id.</exception>
    /// <exception cref="StoreException">The store keeps no token factors.</exception>
    public (float[] Scores, TokenDetails Tokens) Score(string exampleId, IReadOnlyList<IReadOnlyList<float[]>> queries)
    {
        ArgumentNullException.ThrowIfNull(queries);
        var (shard, row) = Locate(exampleId);
        return (FactorScores(shard, row, Pack(queries), queries.Count), shard.ReadTokens(row));
    }

    /// <summary>
    /// Scores <paramref name="exampleIds"/> in their order. Token details are read in blocks of
    /// <paramref name="block"/> examples, one decode per shard per block (reading them one example at a time decodes the
    /// whole shard's metadata for each, so store-wide token work cost examples x shard size), and the queries are packed once.
    /// </summary>
    /// <exception cref="DomainException">NotFound: an unknown example id.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> fired (checked per example).</exception>
    public IEnumerable<ExampleTokenScores> ScoreMany(IReadOnlyList<string> exampleIds, IReadOnlyList<IReadOnlyList<float[]>> queries,
        int block = DefaultBlock, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(exampleIds);
        ArgumentNullException.ThrowIfNull(queries);
        ArgumentOutOfRangeException.ThrowIfLessThan(block, 1);
        return Iterate();

        IEnumerable<ExampleTokenScores> Iterate()
        {
            var packed = Pack(queries);
            var m = queries.Count;
            for (var start = 0; start < exampleIds.Count; start += block)
            {
                var located = exampleIds.Skip(start).Take(block).Select(id => (Id: id, At: Locate(id))).ToList();
                var details = located.GroupBy(l => l.At.Shard)
                    .SelectMany(g => g.Key.ReadTokens(g.Select(l => l.At.Row).Distinct().ToList()).Select(kv => (Shard: g.Key, Row: kv.Key, Tokens: kv.Value)))
                    .ToDictionary(d => (d.Shard, d.Row), d => d.Tokens);
                foreach (var (id, (shard, row)) in located)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    var scores = FactorScores(shard, row, packed, m);
                    yield return new ExampleTokenScores(id, scores, details[(shard, row)], ExampleSums(scores, m));
                }
            }
        }
    }

    private (ShardReader Shard, int Row) Locate(string exampleId) =>
        store.Locate(exampleId) ?? throw DomainException.NotFound($"example '{exampleId}' is not in store {store.Path}");

    // Per layer, the M queries packed into the fused kernel's panels once, then reused for every example.
    private LayerQueryPanels[] Pack(IReadOnlyList<IReadOnlyList<float[]>> queries) => store.Schema.Layers.Select((layer, l) =>
    {
        var stacked = new float[queries.Count * layer.GradientLength];
        for (var q = 0; q < queries.Count; q++) queries[q][l].CopyTo(stacked, q * layer.GradientLength);
        return new LayerQueryPanels(stacked, queries.Count, layer.KIn, layer.KOut);
    }).ToArray();

    private float[] FactorScores(ShardReader shard, int row, LayerQueryPanels[] packed, int m)
    {
        var t = shard.Metadata.TokenCount(row);
        var scores = new float[t * m];
        var layerScores = new float[t * m];
        for (var l = 0; l < store.Schema.Layers.Count; l++)
        {
            var (a, g) = shard.DecodeTokenFactors(row, l);
            TokenScoreKernels.Score(a, g, t, packed[l], layerScores);
            TensorPrimitives.Add(scores, layerScores, scores);
        }
        return scores;
    }

    private static double[] ExampleSums(float[] scores, int m)
    {
        var sums = new double[m];
        for (var i = 0; i < scores.Length; i++) sums[i % m] += scores[i];
        return sums;
    }
}
