namespace Infra.Core.Text.Jinja;

/// <summary>
/// A template that cannot be parsed, an operation the reference renderer (<c>@huggingface/jinja</c>) refuses, or a
/// template's own <c>raise_exception(message)</c> (then <see cref="Exception.Message"/> is the template's message and
/// <see cref="RaisedByTemplate"/> is true).
/// </summary>
public sealed class JinjaException : Exception
{
    public JinjaException() { }

    public JinjaException(string message) : base(message) { }

    public JinjaException(string message, Exception inner) : base(message, inner) { }

    /// <summary>A template's <c>raise_exception</c> call, as opposed to a syntax or type error.</summary>
    public JinjaException(string message, bool raisedByTemplate) : base(message) => RaisedByTemplate = raisedByTemplate;

    /// <summary>True when the template itself called <c>raise_exception</c>.</summary>
    public bool RaisedByTemplate { get; }
}
