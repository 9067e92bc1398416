using Infra.Cli.Commands;
using Infra.Cli.Terminal;

namespace Infra.Cli.Tests;

/// <summary>--group-by, --harder-domains and --easier-domains as the CLI reads them, refused before any call.</summary>
public sealed class GroupByOptionTests
{
    [Fact]
    public void Group_by_reads_one_or_two_names_and_absent_means_the_default()
    {
        Assert.Empty(GroupByOption.Parse(null));
        Assert.Equal(["source"], GroupByOption.Parse("source"));
        Assert.Equal(["domain", "estimated_difficulty"], GroupByOption.Parse("domain, estimated_difficulty"));
        Assert.Equal(["math", "science"], GroupByOption.List("math,science", "--harder-domains"));
    }

    [Theory]
    [InlineData("domain,difficulty,source", "3 columns")]
    [InlineData("source,source", "'source' twice")]
    [InlineData("domain,", "empty column name")]
    public void Bad_group_by_is_a_usage_error_naming_the_problem(string value, string expected)
    {
        var error = Assert.Throws<CliException>(() => GroupByOption.Parse(value));
        Assert.Equal(ExitCodes.Usage, error.ExitCode);
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }
}
