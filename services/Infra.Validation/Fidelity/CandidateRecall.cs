namespace Infra.Validation.Fidelity;

/// <summary>
/// How well a stage-1 ranking keeps the examples stage 2 must see: the share of the reference's <c>k</c> most
/// helpful (or most harmful) examples that are among the estimate's <c>n</c> most helpful (or harmful).
/// Ties are broken by index, as <see cref="Statistics.Ranking.TopKOverlap"/> does.
/// </summary>
public static class CandidateRecall
{
    /// <summary>Recall of the reference's top-<paramref name="k"/> within the estimate's top-<paramref name="n"/>.</summary>
    public static double Top(IReadOnlyList<double> reference, IReadOnlyList<double> estimate, int k, int n) =>
        Recall(reference, estimate, k, n, descending: true);

    /// <summary>Recall of the reference's bottom-<paramref name="k"/> within the estimate's bottom-<paramref name="n"/>.</summary>
    public static double Bottom(IReadOnlyList<double> reference, IReadOnlyList<double> estimate, int k, int n) =>
        Recall(reference, estimate, k, n, descending: false);

    /// <summary>The candidate count for a share of a corpus: <c>ceil(share x count)</c>, at least 1 and at most <paramref name="count"/>.</summary>
    public static int Candidates(double share, int count) => Math.Clamp((int)Math.Ceiling(share * count - 1e-9), 1, count);

    private static double Recall(IReadOnlyList<double> reference, IReadOnlyList<double> estimate, int k, int n, bool descending)
    {
        ArgumentNullException.ThrowIfNull(reference);
        ArgumentNullException.ThrowIfNull(estimate);
        if (reference.Count != estimate.Count) throw new ArgumentException($"{reference.Count} values against {estimate.Count}");
        if (k <= 0) throw new ArgumentOutOfRangeException(nameof(k), "k must be positive");
        if (n <= 0) throw new ArgumentOutOfRangeException(nameof(n), "n must be positive");
        k = Math.Min(k, reference.Count);
        var wanted = Extreme(reference, k, descending);
        var candidates = Extreme(estimate, Math.Min(n, estimate.Count), descending);
        return wanted.Count(candidates.Contains) / (double)k;
    }

    private static HashSet<int> Extreme(IReadOnlyList<double> values, int count, bool descending)
    {
        var order = Enumerable.Range(0, values.Count);
        var sorted = descending ? order.OrderByDescending(i => values[i]) : order.OrderBy(i => values[i]);
        return sorted.ThenBy(i => i).Take(count).ToHashSet();
    }
}
