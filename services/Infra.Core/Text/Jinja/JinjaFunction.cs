namespace Infra.Core.Text.Jinja;

/// <summary>
/// A callable value (a global, a string method, a macro): positional arguments, keyword arguments last as a
/// <see cref="JinjaKeywordArguments"/>, and the caller's scope (macros see their caller's variables, as in the reference).
/// </summary>
internal delegate object? JinjaFunction(List<object?> args, JinjaScope scope);
