namespace Infra.Validation.Statistics;

/// <summary>Rank statistics: Spearman's correlation (average ranks for ties) and top-k overlap.</summary>
public static class Ranking
{
    /// <summary>Spearman's rank correlation of <paramref name="x"/> and <paramref name="y"/>: Pearson's on average ranks; NaN when either is constant or fewer than 2 pairs.</summary>
    /// <exception cref="ArgumentException">Lengths differ.</exception>
    public static double Spearman(IReadOnlyList<double> x, IReadOnlyList<double> y)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(y);
        if (x.Count != y.Count) throw new ArgumentException($"{x.Count} values against {y.Count}");
        if (x.Count < 2) return double.NaN;
        return Pearson(Ranks(x), Ranks(y));
    }

    /// <summary>Pearson's correlation; NaN when either side has zero variance.</summary>
    public static double Pearson(IReadOnlyList<double> x, IReadOnlyList<double> y)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(y);
        var n = x.Count;
        double mx = x.Average(), my = y.Average(), sxy = 0, sxx = 0, syy = 0;
        for (var i = 0; i < n; i++)
        {
            var dx = x[i] - mx;
            var dy = y[i] - my;
            sxy += dx * dy;
            sxx += dx * dx;
            syy += dy * dy;
        }
        return sxx > 0 && syy > 0 ? sxy / Math.Sqrt(sxx * syy) : double.NaN;
    }

    /// <summary>1-based ranks, ties sharing their average rank.</summary>
    public static double[] Ranks(IReadOnlyList<double> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        var order = Enumerable.Range(0, values.Count).OrderBy(i => values[i]).ToArray();
        var ranks = new double[values.Count];
        for (var start = 0; start < order.Length;)
        {
            var end = start;
            while (end + 1 < order.Length && values[order[end + 1]] == values[order[start]]) end++;
            var rank = (start + end) / 2.0 + 1;
            for (var i = start; i <= end; i++) ranks[order[i]] = rank;
            start = end + 1;
        }
        return ranks;
    }

    /// <summary>The share of the <paramref name="k"/> largest of <paramref name="reference"/> that are also among the k largest of <paramref name="estimate"/> (ties broken by index).</summary>
    public static double TopKOverlap(IReadOnlyList<double> reference, IReadOnlyList<double> estimate, int k)
    {
        ArgumentNullException.ThrowIfNull(reference);
        ArgumentNullException.ThrowIfNull(estimate);
        if (reference.Count != estimate.Count) throw new ArgumentException($"{reference.Count} values against {estimate.Count}");
        k = Math.Min(k, reference.Count);
        if (k <= 0) throw new ArgumentOutOfRangeException(nameof(k), "k must be positive");
        var a = Top(reference, k);
        var b = Top(estimate, k);
        return a.Intersect(b).Count() / (double)k;
    }

    private static HashSet<int> Top(IReadOnlyList<double> values, int k) =>
        Enumerable.Range(0, values.Count).OrderByDescending(i => values[i]).ThenBy(i => i).Take(k).ToHashSet();
}
