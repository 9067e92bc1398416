using System.Numerics.Tensors;
using Infra.Core.Store;

namespace Infra.Core.Scoring;

/// <summary>
/// Token-level influence: <c>s_t = sum over layers of ĝ_tᵀ Q̃ â_t</c> for one stored example and M
/// preconditioned queries. <c>sum_t s_t</c> equals the example-level score (the factors of
/// <c>Ĝ = sum_t ĝ_t â_tᵀ</c>), up to storage rounding.
/// </summary>
public sealed class TokenScorer(GradientStore store)
{
    /// <returns><c>scores[t * M + m]</c>, and the example's token details.</returns>
    /// <exception cref="KeyNotFoundException">Unknown example id.</exception>
    /// <exception cref="StoreException">The store keeps no token factors.</exception>
    public (float[] Scores, TokenDetails Tokens) Score(string exampleId, IReadOnlyList<IReadOnlyList<float[]>> queries)
    {
        ArgumentNullException.ThrowIfNull(queries);
        var (shard, row) = store.Locate(exampleId) ?? throw new KeyNotFoundException($"example '{exampleId}' is not in store {store.Path}");
        var m = queries.Count;
        var t = shard.Metadata.TokenCount(row);
        var scores = new float[t * m];
        var projected = new float[store.Schema.Layers.Max(l => l.KOut)];
        for (var l = 0; l < store.Schema.Layers.Count; l++)
        {
            var layer = store.Schema.Layers[l];
            var (a, g) = shard.DecodeTokenFactors(row, l);
            for (var q = 0; q < m; q++)
            {
                var qt = queries[q][l];
                for (var token = 0; token < t; token++)
                {
                    // (Q̃ â_t)_i = <Q̃_i, â_t>, then dot with ĝ_t.
                    var at = a.AsSpan(token * layer.KIn, layer.KIn);
                    for (var i = 0; i < layer.KOut; i++)
                        projected[i] = TensorPrimitives.Dot<float>(qt.AsSpan(i * layer.KIn, layer.KIn), at);
                    scores[token * m + q] += TensorPrimitives.Dot<float>(projected.AsSpan(0, layer.KOut), g.AsSpan(token * layer.KOut, layer.KOut));
                }
            }
        }
        return (scores, shard.ReadTokens(row));
    }
}
