using Infra.Torch.Gradients;

namespace Infra.Torch.Ekfac;

/// <summary>
/// Splits the tracked layers into the groups a memory-bounded fit handles one at a time (one pass over the corpus per
/// group, one factors file per group). Layers that share an input (<see cref="EkfacInputSites"/>) always stay together,
/// so their shared <c>A</c> is accumulated and eigendecomposed once.
/// </summary>
public static class EkfacLayerGroups
{
    /// <summary>
    /// Groups of consecutive tracked layers. With <paramref name="budgetBytes"/> null, one group per decoder layer (its
    /// tracked MLP/attention projections); otherwise as many consecutive layers as fit the budget by
    /// <see cref="FactorBytes"/>, and at least one input site per group whatever the budget.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="budgetBytes"/> is not positive.</exception>
    public static IReadOnlyList<IReadOnlyList<TrackedLayer>> Plan(IReadOnlyList<TrackedLayer> layers, long? budgetBytes)
    {
        ArgumentNullException.ThrowIfNull(layers);
        if (budgetBytes is <= 0) throw new ArgumentOutOfRangeException(nameof(budgetBytes), budgetBytes, "the group budget must be positive bytes");
        var groups = new List<IReadOnlyList<TrackedLayer>>();
        var current = new List<TrackedLayer>();
        foreach (var unit in Units(layers))
        {
            var fits = budgetBytes is { } budget
                ? FactorBytes(current.Concat(unit).ToList()) <= budget
                : current.Count == 0 || DecoderLayer(current[0].Name) == DecoderLayer(unit[0].Name);
            if (current.Count > 0 && !fits)
            {
                groups.Add(current);
                current = [];
            }
            current.AddRange(unit);
        }
        if (current.Count > 0) groups.Add(current);
        return groups;
    }

    /// <summary>
    /// Bytes of <paramref name="layers"/>' float64 factors: per input site <c>d_in² + d_in</c> (U_A, α; once for layers
    /// that share it), per layer <c>d_out² + d_out</c> (U_S, σ) and <c>d_out·d_in</c> (Λ). The covariance sums a fit
    /// accumulates before the eigendecomposition are the same size as the bases.
    /// </summary>
    public static long FactorBytes(IReadOnlyList<TrackedLayer> layers)
    {
        ArgumentNullException.ThrowIfNull(layers);
        long elements = 0;
        foreach (var site in layers.GroupBy(l => EkfacInputSites.SiteOf(l.Name)))
        {
            long dIn = site.First().DIn;
            elements += dIn * dIn + dIn;
            foreach (var l in site) elements += (long)l.DOut * l.DOut + l.DOut + (long)l.DOut * l.DIn;
        }
        return elements * sizeof(double);
    }

    // Consecutive layers reading one input form one unit.
    private static IEnumerable<List<TrackedLayer>> Units(IReadOnlyList<TrackedLayer> layers)
    {
        var unit = new List<TrackedLayer>();
        foreach (var layer in layers)
        {
            if (unit.Count > 0 && EkfacInputSites.SiteOf(unit[0].Name) != EkfacInputSites.SiteOf(layer.Name))
            {
                yield return unit;
                unit = [];
            }
            unit.Add(layer);
        }
        if (unit.Count > 0) yield return unit;
    }

    // "model.layers.{i}.…" -> i; another name is its own group.
    private static string DecoderLayer(string name)
    {
        var parts = name.Split('.');
        return parts.Length > 2 && parts[1] == "layers" ? parts[2] : name;
    }
}
