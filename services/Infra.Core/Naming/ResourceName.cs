using Infra.Core.Errors;

namespace Infra.Core.Naming;

/// <summary>
/// The one rule for names that become file names (query sets, preconditioners, EK-FAC factors): <c>[A-Za-z0-9._-]</c>,
/// 1 to 100 characters, not "." or "..". Short enough that any name fits a file system's 255-byte limit with its suffixes.
/// </summary>
public static class ResourceName
{
    /// <summary>The longest name accepted: 100 characters.</summary>
    public const int MaxLength = 100;

    /// <summary>Throws unless <paramref name="name"/> follows the rule; the message names <paramref name="kind"/> and the rule.</summary>
    /// <param name="kind">What is named, e.g. "query set", for the message.</param>
    /// <param name="name">The name to check.</param>
    /// <param name="field">The request field that carries the name, as spelled in protos/, or null.</param>
    /// <exception cref="DomainException">An empty, too long, or badly formed name (InvalidArgument).</exception>
    public static void Validate(string kind, string? name, string? field = null)
    {
        if (string.IsNullOrEmpty(name) || name is "." or ".." || !name.All(IsAllowed))
            throw DomainException.InvalidArgument($"{kind} name '{name}' is invalid: use letters, digits, '.', '_' and '-'", field);
        if (name.Length > MaxLength)
            throw DomainException.InvalidArgument($"{kind} name '{name[..20]}...' is {name.Length} characters long; at most {MaxLength} are allowed", field);
    }

    /// <summary>Whether <paramref name="c"/> may appear in a name: an ASCII letter or digit, '.', '_' or '-'.</summary>
    public static bool IsAllowed(char c) => char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-';

    /// <summary>
    /// <paramref name="text"/> with every character a name may not hold replaced by '_' (for file names derived from
    /// other text; the result is not checked against the length or the "." / ".." parts of the rule).
    /// </summary>
    public static string Sanitize(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return string.Concat(text.Select(c => IsAllowed(c) ? c : '_'));
    }
}
