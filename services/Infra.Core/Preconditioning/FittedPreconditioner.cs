using Infra.Core.Errors;

namespace Infra.Core.Preconditioning;

/// <summary>
/// A preconditioner fitted on a store: per layer factors, plus every stored example's self-influence
/// <c>sum over layers of &lt;Ĝ, H⁻¹ Ĝ&gt;</c> (store order: shards in order, rows in order), which
/// normalised (cosine) scores divide by.
/// </summary>
public sealed record FittedPreconditioner(
    string Name,
    PreconditionerKind Kind,
    double? DampingArgument,
    IReadOnlyList<LayerPreconditioner> Layers,
    double[] SelfInfluence)
{
    /// <summary>Examples the preconditioner was fitted on (= the store's size at the time).</summary>
    public long Examples => SelfInfluence.Length;

    /// <summary>Preconditions a query given per layer.</summary>
    public IReadOnlyList<float[]> Precondition(IReadOnlyList<float[]> query)
    {
        ArgumentNullException.ThrowIfNull(query);
        if (query.Count != Layers.Count) throw DomainException.InvalidArgument($"query has {query.Count} layers, the preconditioner {Layers.Count}");
        return query.Select((q, l) => Layers[l].Precondition(q)).ToList();
    }

    /// <summary><c>sum over layers of &lt;Q̂, Q̃&gt;</c>: the query's squared norm in the preconditioned metric.</summary>
    public static double QuerySelfInfluence(IReadOnlyList<float[]> query, IReadOnlyList<float[]> preconditioned)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentNullException.ThrowIfNull(preconditioned);
        double sum = 0;
        for (var l = 0; l < query.Count; l++)
            sum += System.Numerics.Tensors.TensorPrimitives.Dot<float>(query[l], preconditioned[l]);
        return sum;
    }
}
