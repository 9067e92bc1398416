namespace Infra.Corpus;

/// <summary>Quantile bin edges of a numeric column, for <see cref="Infra.Core.Metadata.DifficultySource.Binned"/> difficulty.</summary>
public static class QuantileBins
{
    /// <summary>
    /// The upper bounds of levels 1..n-1 for <paramref name="bins"/> levels over <paramref name="values"/>: edge k is the
    /// lower k/bins quantile (the sorted value at rank ceil(k * count / bins)), so equal values always share a level and
    /// the result does not depend on the values' order. Repeated edges, and edges at the maximum (which would leave the
    /// levels above them empty), are dropped: heavy ties give fewer levels rather than empty ones. Empty when there are no values.
    /// </summary>
    public static IReadOnlyList<double> Edges(IEnumerable<double> values, int bins)
    {
        ArgumentNullException.ThrowIfNull(values);
        ArgumentOutOfRangeException.ThrowIfLessThan(bins, 2);
        var sorted = values.Order().ToArray();
        var edges = new List<double>();
        if (sorted.Length == 0) return edges;
        var max = sorted[^1];
        for (long k = 1; k < bins; k++)
        {
            var rank = (k * sorted.Length + bins - 1) / bins; // ceil(k * n / bins), 1-based
            var edge = sorted[rank - 1];
            if (edge < max && (edges.Count == 0 || edge > edges[^1])) edges.Add(edge);
        }
        return edges;
    }
}
