namespace Infra.Core.Kernels;

/// <summary>Top-k selection over one score vector (see <see cref="TopKAccumulator"/> for streams and threads).</summary>
public static class TopK
{
    /// <summary>
    /// The <paramref name="k"/> best scores with their indices, best first, in O(N log k). Ties go to the lower
    /// index; NaN ranks below every number. Fewer than k come back when there are fewer scores.
    /// </summary>
    /// <param name="scores">One score per row.</param>
    /// <param name="k">How many to return.</param>
    /// <param name="largest">True for the largest scores, false for the smallest.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="k"/> is negative.</exception>
    public static ScoredIndex[] Select(ReadOnlySpan<float> scores, int k, bool largest)
    {
        var accumulator = new TopKAccumulator(k, largest);
        accumulator.Add(scores, 0);
        return accumulator.ToSortedArray();
    }
}
