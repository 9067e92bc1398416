using Infra.Aggregation.Services;

namespace Infra.Aggregation.Tests.Reports;

/// <summary>The report's heat-map picks: the n highest and n lowest of a stream, in bounded memory, ties to the smaller id.</summary>
public sealed class ExtremeExamplesTests
{
    [Fact]
    public void Keeps_the_n_highest_and_lowest_whatever_the_order_and_breaks_ties_by_id()
    {
        var values = new (string Id, double Value)[] { ("e", 5), ("a", 1), ("d", 5), ("b", 1), ("c", 3), ("f", 0), ("g", double.NaN) };
        foreach (var order in new[] { values, values.Reverse().ToArray() })
        {
            var extremes = new ExtremeExamples<int>(2);
            foreach (var (id, value) in order) extremes.Offer(id, value, 0);
            Assert.Equal(["d", "e"], extremes.Highest.Select(x => x.Id));
            Assert.Equal(["f", "a"], extremes.Lowest.Select(x => x.Id));
        }
    }
}
