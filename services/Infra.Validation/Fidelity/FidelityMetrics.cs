using Infra.Validation.Statistics;

namespace Infra.Validation.Fidelity;

/// <summary>Compares stage-1 scores with the exact reference, query by query, and averages over queries.</summary>
public static class FidelityMetrics
{
    /// <summary>
    /// Spearman, top-<paramref name="topK"/> overlap and the recall curves of <paramref name="estimate"/> against
    /// <paramref name="exact"/> (both <c>[query][example]</c>), each the mean over queries.
    /// </summary>
    public static SeedMeasurement Measure(double[][] exact, double[][] estimate, int topK, IReadOnlyList<double> shares,
        ulong? seed, double indexSeconds, double querySeconds)
    {
        ArgumentNullException.ThrowIfNull(exact);
        ArgumentNullException.ThrowIfNull(estimate);
        ArgumentNullException.ThrowIfNull(shares);
        if (exact.Length != estimate.Length) throw new ArgumentException($"{exact.Length} queries against {estimate.Length}");
        var queries = Enumerable.Range(0, exact.Length).ToList();
        var count = exact.Length == 0 ? 0 : exact[0].Length;
        return new SeedMeasurement
        {
            Seed = seed,
            Spearman = queries.Average(q => Ranking.Spearman(exact[q], estimate[q])),
            TopOverlap = queries.Average(q => Ranking.TopKOverlap(exact[q], estimate[q], topK)),
            RecallTop = shares.Select(s => queries.Average(q => CandidateRecall.Top(exact[q], estimate[q], topK, CandidateRecall.Candidates(s, count)))).ToList(),
            RecallBottom = shares.Select(s => queries.Average(q => CandidateRecall.Bottom(exact[q], estimate[q], topK, CandidateRecall.Candidates(s, count)))).ToList(),
            IndexSeconds = indexSeconds,
            QuerySeconds = querySeconds,
        };
    }
}
