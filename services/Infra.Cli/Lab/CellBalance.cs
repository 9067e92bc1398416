using Infra.Corpus;
using Infra.Lab.Corpus;

namespace Infra.Cli.Lab;

/// <summary>Keeps a split balanced over domain x difficulty when it is cut or sampled.</summary>
internal static class CellBalance
{
    /// <summary>The first <paramref name="perCell"/> of each domain x difficulty cell, in the split's order.</summary>
    public static List<T> TakePerCell<T>(IEnumerable<T> items, Func<T, LabExample> example, int perCell) =>
        items.GroupBy(i => (example(i).Domain, example(i).Difficulty))
            .OrderBy(g => g.Key.Domain).ThenBy(g => g.Key.Difficulty)
            .SelectMany(g => g.Take(perCell))
            .ToList();

    /// <summary>
    /// <paramref name="count"/> items taken round-robin over the cells (ordered by domain then difficulty), so any
    /// prefix of the result is as balanced as it can be.
    /// </summary>
    public static List<T> RoundRobin<T>(IEnumerable<T> items, Func<T, (string Domain, int Difficulty)> cell, int count)
    {
        var queues = items.GroupBy(cell).OrderBy(g => g.Key.Difficulty).ThenBy(g => g.Key.Domain, StringComparer.Ordinal)
            .Select(g => new Queue<T>(g)).ToList();
        var taken = new List<T>(count);
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
