using Infra.Core.Errors;
using Infra.Core.Naming;
using Infra.Core.Scoring;
using Infra.Core.Preconditioning;

namespace Infra.Core.Tests.Naming;

public sealed class ResourceNameTests
{
    [Theory]
    [InlineData("held-out")]
    [InlineData("a.b_c-1")]
    [InlineData("x")]
    public void Names_of_letters_digits_dots_underscores_and_dashes_are_accepted(string name) => ResourceName.Validate("query set", name);

    [Theory]
    [InlineData("", "is invalid")]
    [InlineData("..", "is invalid")]
    [InlineData("a/b", "is invalid")]
    [InlineData("é", "is invalid")]
    public void Other_names_are_refused_naming_the_rule(string name, string message)
    {
        var error = Assert.Throws<DomainException>(() => ResourceName.Validate("query set", name));
        Assert.Contains(message, error.Message, StringComparison.Ordinal);
        Assert.Contains("query set name", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_name_too_long_for_a_file_is_refused_as_bad_input_before_any_file_is_touched()
    {
        var name = new string('a', ResourceName.MaxLength + 200);
        var error = Assert.Throws<DomainException>(() => ResourceName.Validate("query set", name));
        Assert.Contains($"is {name.Length} characters long; at most {ResourceName.MaxLength} are allowed", error.Message, StringComparison.Ordinal);
        Assert.Throws<DomainException>(() => QuerySetRepository.ValidateName(name));
        Assert.Throws<DomainException>(() => PreconditionerRepository.ValidateName(name));
        ResourceName.Validate("query set", new string('a', ResourceName.MaxLength));
    }

    [Fact]
    public void Sanitizing_replaces_exactly_the_characters_the_rule_refuses()
    {
        var sanitized = ResourceName.Sanitize("gsm8k/train 17:é.v-2_x");
        Assert.Equal("gsm8k_train_17__.v-2_x", sanitized);
        ResourceName.Validate("query set", sanitized);
    }
}
