namespace Infra.Core.Kernels;

/// <summary>
/// Keeps the k best scores seen so far in a bounded heap (worst kept at the root): O(log k) per kept candidate and
/// one comparison per rejected one, so a stream of N scores costs O(N log k). Best means largest (or smallest)
/// score; ties go to the lower index; NaN ranks below every number. Not thread-safe: give each thread its own and
/// <see cref="Merge"/> them.
/// </summary>
public sealed class TopKAccumulator
{
    private readonly ScoredIndex[] heap;
    private int count;

    /// <summary>An empty accumulator.</summary>
    /// <param name="k">How many to keep (0 keeps none).</param>
    /// <param name="largest">True to keep the largest scores, false the smallest.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="k"/> is negative.</exception>
    public TopKAccumulator(int k, bool largest)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(k);
        heap = new ScoredIndex[k];
        Largest = largest;
    }

    /// <summary>Capacity.</summary>
    public int K => heap.Length;

    /// <summary>Whether the largest scores are kept.</summary>
    public bool Largest { get; }

    /// <summary>How many are held now (at most <see cref="K"/>).</summary>
    public int Count => count;

    /// <summary>Offers a batch: <c>scores[i]</c> belongs to row <c>baseIndex + i</c>.</summary>
    public void Add(ReadOnlySpan<float> scores, long baseIndex)
    {
        if (heap.Length == 0)
            return;
        for (var i = 0; i < scores.Length; i++)
        {
            var score = scores[i];
            // The common case once full: one comparison against the worst kept score rejects the candidate.
            if (count == heap.Length)
            {
                var worst = heap[0].Score;
                if (!float.IsNaN(worst) && (Largest ? score < worst : score > worst))
                    continue;
            }
            Add(baseIndex + i, score);
        }
    }

    /// <summary>Offers one candidate.</summary>
    public void Add(long index, float score)
    {
        if (heap.Length == 0)
            return;
        var candidate = new ScoredIndex(index, score);
        if (count < heap.Length)
        {
            heap[count] = candidate;
            SiftUp(count++);
        }
        else if (Compare(candidate, heap[0]) > 0)
        {
            heap[0] = candidate;
            SiftDown(0);
        }
    }

    /// <summary>Offers everything <paramref name="other"/> holds (e.g. another thread's accumulator).</summary>
    /// <exception cref="ArgumentException">Different k or direction.</exception>
    public void Merge(TopKAccumulator other)
    {
        ArgumentNullException.ThrowIfNull(other);
        if (other.K != K || other.Largest != Largest)
            throw new ArgumentException($"cannot merge top-{other.K} ({(other.Largest ? "largest" : "smallest")}) into top-{K} ({(Largest ? "largest" : "smallest")})", nameof(other));
        for (var i = 0; i < other.count; i++)
            Add(other.heap[i].Index, other.heap[i].Score);
    }

    /// <summary>The kept candidates, best first.</summary>
    public ScoredIndex[] ToSortedArray()
    {
        var result = heap.AsSpan(0, count).ToArray();
        Array.Sort(result, (x, y) => Compare(y, x));
        return result;
    }

    /// <summary>Positive when <paramref name="x"/> ranks above <paramref name="y"/>.</summary>
    private int Compare(ScoredIndex x, ScoredIndex y)
    {
        bool xNaN = float.IsNaN(x.Score), yNaN = float.IsNaN(y.Score);
        if (xNaN != yNaN)
            return xNaN ? -1 : 1;
        if (!xNaN && x.Score != y.Score)
            return (x.Score > y.Score) == Largest ? 1 : -1;
        return y.Index.CompareTo(x.Index);
    }

    private void SiftUp(int i)
    {
        while (i > 0)
        {
            var parent = (i - 1) / 2;
            if (Compare(heap[i], heap[parent]) >= 0)
                return;
            (heap[i], heap[parent]) = (heap[parent], heap[i]);
            i = parent;
        }
    }

    private void SiftDown(int i)
    {
        while (true)
        {
            int left = 2 * i + 1, right = left + 1, worst = i;
            if (left < count && Compare(heap[left], heap[worst]) < 0)
                worst = left;
            if (right < count && Compare(heap[right], heap[worst]) < 0)
                worst = right;
            if (worst == i)
                return;
            (heap[i], heap[worst]) = (heap[worst], heap[i]);
            i = worst;
        }
    }
}
