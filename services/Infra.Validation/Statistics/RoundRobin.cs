namespace Infra.Validation.Statistics;

/// <summary>Draws from several ordered groups in turn, so a sample is as balanced over the groups as their sizes allow.</summary>
public static class RoundRobin
{
    /// <summary>
    /// Up to <paramref name="count"/> items: the first of every group (in the groups' order), then the second of every group
    /// that has one, and so on.
    /// </summary>
    public static List<T> Take<T>(IEnumerable<IEnumerable<T>> groups, int count)
    {
        ArgumentNullException.ThrowIfNull(groups);
        var queues = groups.Select(g => new Queue<T>(g)).ToList();
        var taken = new List<T>(Math.Max(0, count));
        while (taken.Count < count && queues.Any(q => q.Count > 0))
        {
            foreach (var queue in queues.Where(q => q.Count > 0))
            {
                if (taken.Count == count) break;
                taken.Add(queue.Dequeue());
            }
        }
        return taken;
    }
}
