using System.Numerics.Tensors;
using Infra.Core.Kernels;
using Infra.Core.Store;
using Infra.Core.Errors;

namespace Infra.Core.Scoring;

/// <summary>
/// Token-level influence: <c>s_t = sum over layers of ĝ_tᵀ Q̃ â_t</c> for one stored example and M
/// preconditioned queries. <c>sum_t s_t</c> equals the example-level score (the factors of
/// <c>Ĝ = sum_t ĝ_t â_tᵀ</c>), up to storage rounding.
/// </summary>
public sealed class TokenScorer(IStoreView store)
{
    /// <returns><c>scores[t * M + m]</c>, and the example's token details.</returns>
    /// <exception cref="KeyNotFoundException">Unknown example id.</exception>
    /// <exception cref="StoreException">The store keeps no token factors.</exception>
    public (float[] Scores, TokenDetails Tokens) Score(string exampleId, IReadOnlyList<IReadOnlyList<float[]>> queries)
    {
        ArgumentNullException.ThrowIfNull(queries);
        var (shard, row) = store.Locate(exampleId) ?? throw DomainException.NotFound($"example '{exampleId}' is not in store {store.Path}");
        var m = queries.Count;
        var t = shard.Metadata.TokenCount(row);
        var scores = new float[t * m];
        var layerScores = new float[t * m];
        for (var l = 0; l < store.Schema.Layers.Count; l++)
        {
            var layer = store.Schema.Layers[l];
            var (a, g) = shard.DecodeTokenFactors(row, l);
            var packed = new float[m * layer.GradientLength];
            for (var q = 0; q < m; q++) queries[q][l].CopyTo(packed, q * layer.GradientLength);
            TokenScoreKernels.Score(a, g, t, layer.KIn, layer.KOut, packed, m, layerScores);
            TensorPrimitives.Add(scores, layerScores, scores);
        }
        return (scores, shard.ReadTokens(row));
    }
}
