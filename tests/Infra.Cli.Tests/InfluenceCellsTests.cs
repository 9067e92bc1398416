using Infra.Cli.Experiment;
using Infra.Contracts.Aggregation.V1;
using Infra.Lab.Experiments;

namespace Infra.Cli.Tests;

/// <summary>The experiment's cells read off the AggregationService's roll-up: per query domain, and each domain counted equally.</summary>
public sealed class InfluenceCellsTests
{
    [Fact]
    public void Cells_take_each_query_domains_mean_and_count_each_domain_equally()
    {
        // math-1: 2 examples; on math queries mean 3, on code queries mean 1 (pooled over all queries it would be 9/5).
        // code-2: 1 example, scored by code queries only.
        var rollup = new AggregateResult
        {
            Tables =
            {
                Table("code", Cell("code", "code", 2, 1, 5), Cell("code", "code", 0, 1, 5), Cell("code", "math", 1, 2, 1), Cell("code", "math", 0, 2, 1)),
                Table("math", Cell("math", "math", 1, 2, 3), Cell("math", "math", 0, 2, 3)),
                Table("all", Cell("all", "code", 2, 1, 5), Cell("all", "code", 0, 1, 5), Cell("all", "math", 1, 2, 1.8), Cell("all", "math", 0, 2, 1.8)),
            },
        };

        var cells = InfluenceCells.FromRollup(rollup);

        Assert.Equal([new CellKey("code", 2), new CellKey("math", 1)], cells.Select(c => c.Cell));
        var math = cells[1];
        Assert.Equal(2, math.Examples);
        Assert.Equal(3, math.OnMath, 12);
        Assert.Equal(1, math.OnCode, 12);
        Assert.Equal(2, math.Mean, 12); // (3 + 1) / 2, not the pooled 9 / 5
        Assert.True(double.IsNaN(cells[0].OnMath));
        Assert.Equal(5, cells[0].Mean, 12);
    }

    private static QueryDomainTable Table(string queryDomain, params RollupCell[] cells)
    {
        var table = new QueryDomainTable { QueryDomain = queryDomain };
        table.Cells.AddRange(cells);
        return table;
    }

    private static RollupCell Cell(string queryDomain, string trainingDomain, int difficulty, uint n, double mean) => new()
    {
        QueryDomain = queryDomain, TrainingDomain = trainingDomain, Difficulty = difficulty, Statistics = new CellStatistics { N = n, Mean = mean },
    };
}
