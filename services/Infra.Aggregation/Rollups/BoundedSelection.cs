namespace Infra.Aggregation.Rollups;

/// <summary>
/// Keeps the <c>capacity</c> best items seen so far in a heap whose root is the worst kept item,
/// so a stream of any length needs O(capacity) memory. <paramref name="rank"/> must be a total
/// order (ties broken by id) so the result does not depend on the order items arrive in.
/// </summary>
internal sealed class BoundedSelection<T>(int capacity, IComparer<T> rank)
{
    // The heap's minimum is the item ranked last, the first to be evicted.
    private readonly PriorityQueue<T, T> heap = new(Comparer<T>.Create((a, b) => rank.Compare(b, a)));

    public void Offer(T item)
    {
        if (capacity == 0)
        {
            return;
        }
        if (heap.Count < capacity)
        {
            heap.Enqueue(item, item);
        }
        else if (rank.Compare(item, heap.Peek()) < 0)
        {
            heap.DequeueEnqueue(item, item);
        }
    }

    /// <summary>The kept items, best first.</summary>
    public IReadOnlyList<T> ToList()
    {
        var items = heap.UnorderedItems.Select(entry => entry.Element).ToList();
        items.Sort(rank);
        return items;
    }
}
