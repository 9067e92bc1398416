namespace Infra.Core.Text.Jinja;

/// <summary>One lexed token; <see cref="Value"/> is mutable because <c>{%-</c> trims the text token before it.</summary>
internal sealed class JinjaToken(string value, JinjaTokenKind kind)
{
    public string Value { get; set; } = value;

    public JinjaTokenKind Kind { get; } = kind;
}
