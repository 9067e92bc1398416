namespace Infra.Aggregation.Services;

/// <summary>
/// The <c>n</c> highest- and <c>n</c> lowest-valued items of a stream, with memory for <c>2n</c> items whatever the
/// stream's length (ties broken by id, ordinal, so the result does not depend on arrival order).
/// </summary>
internal sealed class ExtremeExamples<T>(int n)
{
    // Ties go to the smaller id in both lists: the high set orders equal values by id descending (read in reverse), the
    // low set by id ascending, so eviction (the high set's Min, the low set's Max) drops the larger id.
    private readonly SortedSet<(double Value, string Id, T Item)> _high = new(Comparer<(double Value, string Id, T Item)>.Create((a, b) => Compare(a, b, -1)));
    private readonly SortedSet<(double Value, string Id, T Item)> _low = new(Comparer<(double Value, string Id, T Item)>.Create((a, b) => Compare(a, b, 1)));

    /// <summary>Highest first.</summary>
    public IEnumerable<(string Id, double Value, T Item)> Highest => _high.Reverse().Select(x => (x.Id, x.Value, x.Item));

    /// <summary>Lowest first.</summary>
    public IEnumerable<(string Id, double Value, T Item)> Lowest => _low.Select(x => (x.Id, x.Value, x.Item));

    public void Offer(string id, double value, T item)
    {
        if (n <= 0 || double.IsNaN(value)) return;
        _high.Add((value, id, item));
        if (_high.Count > n) _high.Remove(_high.Min);
        _low.Add((value, id, item));
        if (_low.Count > n) _low.Remove(_low.Max);
    }

    private static int Compare((double Value, string Id, T Item) a, (double Value, string Id, T Item) b, int idOrder)
    {
        var byValue = a.Value.CompareTo(b.Value);
        return byValue != 0 ? byValue : idOrder * string.CompareOrdinal(a.Id, b.Id);
    }
}
