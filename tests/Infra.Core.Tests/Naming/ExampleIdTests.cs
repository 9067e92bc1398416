using Infra.Core.Naming;

namespace Infra.Core.Tests.Naming;

public sealed class ExampleIdTests
{
    [Theory]
    [InlineData("m1")]
    [InlineData("gsm8k/train/17")]
    [InlineData("ünïcode id with spaces")]
    public void Printable_ids_up_to_the_limit_are_accepted(string id)
    {
        Assert.Null(ExampleId.Problem(id));
        Assert.Null(ExampleId.Problem(new string('a', ExampleId.MaxLength)));
    }

    [Fact]
    public void Missing_long_and_control_character_ids_are_refused_naming_the_problem()
    {
        Assert.Equal("the id is missing", ExampleId.Problem(""));
        Assert.Equal($"the id is 300 characters long; at most {ExampleId.MaxLength} are allowed", ExampleId.Problem(new string('a', 300)));
        Assert.Equal("the id contains a control character", ExampleId.Problem("a\nb"));
        Assert.Equal("a\\u000ab", ExampleId.Quote("a\nb"));
        Assert.Equal(new string('a', 40) + "...", ExampleId.Quote(new string('a', 300)));
    }
}
