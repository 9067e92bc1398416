using Infra.Aggregation.Rollups;
using Infra.Core.Errors;
using Infra.Core.Metadata;

namespace Infra.Aggregation.Tests.Rollups;

/// <summary>Roll-ups by any one or two columns: the default reproduces the old table bit for bit; other groupings order and label their cells.</summary>
public sealed class GroupingTests
{
    // 4 domains; string sources (one missing), numeric ratings (one missing) and unlabelled difficulties.
    private static readonly ExampleAttributes[] Mixed =
    [
        new("m1", "math", 1, Meta("gsm8k", 800)),
        new("m2", "math", 3, Meta("math", 1200)),
        new("m3", "math", 0, Meta("math", 3500)),
        new("c1", "code", 1, Meta("apps", 950)),
        new("c2", "code", 2, Meta("apps", null)),
        new("s1", "science", 2, Meta("gpqa", 800)),
        new("s2", "science", 0, Meta(null, 1200)),
        new("h1", "chat", 0, Meta("sharegpt", 950)),
    ];

    [Fact]
    public void Default_grouping_reproduces_the_snapshot_of_the_old_roll_up()
    {
        var rollup = SnapshotCorpus.Rollup();
        Assert.Equal(SnapshotCells.CrossDomain, SnapshotCorpus.Describe(rollup.CrossDomainMatrix()));
        Assert.Equal(SnapshotCells.CrossDomain, SnapshotCorpus.Describe(rollup.CrossDomainMatrix(Grouping.Parse([]))));
        Assert.Equal(SnapshotCells.CrossDomain, SnapshotCorpus.Describe(rollup.CrossDomainMatrix(Grouping.Parse(["domain", "difficulty"]))));
        Assert.All(rollup.CrossDomainMatrix(), c =>
        {
            Assert.Equal(c.TrainingDomain, c.Group);
            Assert.Equal(c.Difficulty is null, c.AllSubgroups);
            Assert.Equal(c.Difficulty?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "", c.Subgroup);
        });
    }

    [Fact]
    public void Default_grouping_puts_unlabelled_after_the_levels_and_apart_from_the_all_cell()
    {
        var math = Rollup().DomainDifficultyTable("all").Where(c => c.TrainingDomain == "math").ToList();
        Assert.Equal(["1", "3", "unlabelled", ""], math.Select(c => c.Subgroup));
        Assert.Equal([1, 3, 0, (int?)null], math.Select(c => c.Difficulty));
        Assert.Equal([false, false, false, true], math.Select(c => c.AllSubgroups));
        Assert.Equal(3, math[^1].Statistics.N);
        Assert.Equal(["chat", "code", "math", "science"], Rollup().DomainDifficultyTable("all").Select(c => c.Group).Distinct());
    }

    [Fact]
    public void One_column_gives_one_cell_per_group_ordinal_with_none_last()
    {
        var rollup = Rollup();
        var table = rollup.Table("all", Grouping.Parse(["source"]));
        Assert.Equal(["apps", "gpqa", "gsm8k", "math", "sharegpt", Grouping.NoValue], table.Select(c => c.Group));
        Assert.All(table, c => Assert.Equal("", c.Subgroup));
        Assert.All(table, c => Assert.False(c.AllSubgroups));
        Assert.All(table, c => Assert.Equal("", c.TrainingDomain));
        var math = table.Single(c => c.Group == "math");
        Assert.Equal(2, math.Statistics.N);
        Assert.Equal((rollup.ExampleInfluence("m2", "all") + rollup.ExampleInfluence("m3", "all")) / 2, math.Statistics.Mean, 12);
        Assert.Equal(Mixed.Length, table.Sum(c => c.Statistics.N));
    }

    [Fact]
    public void Two_columns_order_a_numeric_column_by_value_and_close_each_group_with_its_all_cell()
    {
        var rollup = Rollup();
        var table = rollup.Table("math", Grouping.Parse(["domain", "rating"]));
        var math = table.Where(c => c.Group == "math").ToList();
        // Numeric ascending (ordinal would put "1200" before "800").
        Assert.Equal(["800", "1200", "3500", ""], math.Select(c => c.Subgroup));
        Assert.True(math[^1].AllSubgroups);
        Assert.All(math, c => Assert.Equal("math", c.TrainingDomain));
        Assert.All(math, c => Assert.Null(c.Difficulty));
        Assert.Equal(["950", Grouping.NoValue, ""], table.Where(c => c.Group == "code").Select(c => c.Subgroup));
        Assert.Equal(rollup.ExampleInfluence("c2", "math"), table.Single(c => c.Group == "code" && c.Subgroup == Grouping.NoValue).Statistics.Mean);
    }

    [Fact]
    public void Difficulty_first_fills_the_difficulty_of_each_group_and_the_domain_of_each_subgroup()
    {
        var table = Rollup().Table("all", Grouping.Parse(["difficulty", "domain"]));
        Assert.Equal(["1", "2", "3", "unlabelled"], table.Select(c => c.Group).Distinct());
        var unlabelled = table.Where(c => c.Group == "unlabelled").ToList();
        Assert.Equal(["chat", "math", "science", ""], unlabelled.Select(c => c.Subgroup));
        Assert.All(unlabelled, c => Assert.Equal(0, c.Difficulty));
        Assert.Equal(["chat", "math", "science", ""], unlabelled.Select(c => c.TrainingDomain));
    }

    [Fact]
    public void Estimated_difficulty_level_zero_reads_unlabelled()
    {
        var example = new ExampleAttributes("x", "math", 2, new Dictionary<string, MetadataValue> { [Grouping.EstimatedDifficulty] = MetadataValue.Of(0L) });
        Assert.Equal("unlabelled", Grouping.ValueOf(example, Grouping.EstimatedDifficulty));
        Assert.Equal("2", Grouping.ValueOf(example, Grouping.Difficulty));
        Assert.Equal(Grouping.NoValue, Grouping.ValueOf(example, "source"));
    }

    [Fact]
    public void Group_values_sort_numbers_by_value_text_ordinally_and_missing_last()
    {
        Assert.Equal(["2", "9", "10", "unlabelled", "(none)"], GroupValueOrder.Sort(["10", "(none)", "9", "unlabelled", "2", "9"]));
        Assert.Equal(["10", "a", "b", "(none)"], GroupValueOrder.Sort(["b", "(none)", "10", "a"]));
        Assert.Equal(["0.5", "1e3"], GroupValueOrder.Sort(["1e3", "0.5"]));
    }

    [Fact]
    public void Metadata_columns_are_asked_for_only_beyond_domain_and_difficulty()
    {
        Assert.Empty(Grouping.Default.MetadataColumns);
        Assert.Empty(Grouping.Parse(["difficulty"]).MetadataColumns);
        Assert.Equal(["estimated_difficulty"], Grouping.Parse(["domain", "estimated_difficulty"]).MetadataColumns);
        Assert.True(Grouping.Parse([]).IsDefault);
        Assert.False(Grouping.Parse(["difficulty", "domain"]).IsDefault);
    }

    [Theory]
    [InlineData(new[] { "domain", "difficulty", "source" }, "3 columns")]
    [InlineData(new[] { "source", "source" }, "column 'source' twice")]
    [InlineData(new[] { "domain", " " }, "empty column name")]
    public void Bad_groupings_are_refused_naming_the_problem(string[] columns, string expected)
    {
        var error = Assert.Throws<DomainException>(() => Grouping.Parse(columns));
        Assert.Equal(ErrorKind.InvalidArgument, error.Kind);
        Assert.Equal("group_by", error.Field);
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    private static InfluenceRollup Rollup()
    {
        var queries = new QueryAttributes[] { new("qm", "math"), new("qc", "code") };
        var accumulator = new InfluenceAccumulator(Mixed, queries, new RollupOptions { TopK = 3, Bootstrap = new Infra.Core.Statistics.BootstrapOptions { Resamples = 50 } });
        var raw = Enumerable.Range(0, Mixed.Length * queries.Length).Select(i => Math.Cos(i * 0.7) + (i % 3)).ToArray();
        accumulator.Add(new ScoreBlock(Mixed.Select(e => e.Id).ToArray(), queries.Select(q => q.Id).ToArray(), raw));
        return accumulator.Finish();
    }

    private static Dictionary<string, MetadataValue> Meta(string? source, long? rating)
    {
        var values = new Dictionary<string, MetadataValue>(StringComparer.Ordinal);
        if (source is not null) values["source"] = MetadataValue.Of(source);
        if (rating is { } r) values["rating"] = MetadataValue.Of(r);
        return values;
    }
}
