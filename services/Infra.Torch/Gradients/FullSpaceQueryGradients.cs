using static TorchSharp.torch;

namespace Infra.Torch.Gradients;

/// <summary>
/// Per-query gradients of <c>−f</c> in the full <c>d_out x d_in</c> space of every tracked layer, preconditioned
/// by full-space EK-FAC when factors were given (<c>Q̃ = U_S [(U_Sᵀ Q U_A) / (Λ + λ)] U_Aᵀ</c>), never projected:
/// the queries of exact influence. Owns its tensors (outside any dispose scope).
/// </summary>
/// <param name="QueryIds">The queries' ids, in the order given.</param>
/// <param name="Measurements">f of each query (mean or summed log-likelihood of its answer).</param>
/// <param name="Damping">Per tracked layer, the damping λ as applied; null when not preconditioned.</param>
/// <param name="Layers">
/// Per tracked layer, <c>[Q, d_out, d_in]</c>, float64, on the model's device; a <see cref="SpooledQueryLayers"/> when
/// they were kept on disk (read in layer order, one layer in memory at a time).
/// </param>
public sealed record FullSpaceQueryGradients(
    IReadOnlyList<string> QueryIds,
    IReadOnlyList<double> Measurements,
    IReadOnlyList<double>? Damping,
    IReadOnlyList<Tensor> Layers) : IDisposable
{
    /// <summary>True when full-space EK-FAC factors were applied.</summary>
    public bool Preconditioned => Damping is not null;

    /// <summary>
    /// One column per group instead of per query: each group's mean <c>Q̃</c> and mean f, groups in first-appearance order.
    /// Scores against a mean are the means of the per-query scores (influence is linear in <c>Q̃</c>). The result owns new tensors.
    /// </summary>
    /// <param name="groupOf">Each query's group (e.g. its domain), in <see cref="QueryIds"/> order.</param>
    public FullSpaceQueryGradients MeanBy(IReadOnlyList<string> groupOf)
    {
        ArgumentNullException.ThrowIfNull(groupOf);
        if (groupOf.Count != QueryIds.Count) throw new ArgumentException($"{groupOf.Count} groups for {QueryIds.Count} queries", nameof(groupOf));
        var groups = groupOf.Select((g, i) => (g, i)).GroupBy(x => x.g, x => x.i, StringComparer.Ordinal).ToList();
        var layers = Layers.Select(layer =>
        {
            using var scope = NewDisposeScope();
            return stack(groups.Select(g => layer.index_select(0, tensor(g.Select(i => (long)i).ToArray()).to(layer.device)).mean([0L])).ToList(), 0)
                .DetachFromDisposeScope();
        }).ToList();
        return new FullSpaceQueryGradients(groups.Select(g => g.Key).ToList(), groups.Select(g => g.Average(i => Measurements[i])).ToList(), Damping, layers);
    }

    /// <summary>Shape of layer <paramref name="layer"/>, <c>[Q, d_out, d_in]</c>, without reading a spooled layer.</summary>
    public static long[] ShapeOf(IReadOnlyList<Tensor> layers, int layer)
    {
        ArgumentNullException.ThrowIfNull(layers);
        return layers is SpooledQueryLayers spooled ? spooled.Shape(layer) : layers[layer].shape;
    }

    public void Dispose()
    {
        // A spooled set owns its files and its one loaded layer: enumerating it would read every layer just to free it.
        if (Layers is IDisposable owner) owner.Dispose();
        else foreach (var t in Layers) t.Dispose();
    }
}
