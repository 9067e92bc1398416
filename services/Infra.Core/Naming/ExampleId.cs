namespace Infra.Core.Naming;

/// <summary>
/// The rule for example and query ids (which, unlike <see cref="ResourceName"/>s, never become file names and may hold
/// any printable text, e.g. "gsm8k/train/17"): 1 to 256 characters, no control characters. Ids are stored in every
/// shard's metadata and echoed in every score, so an unbounded one costs everywhere it travels.
/// </summary>
public static class ExampleId
{
    /// <summary>The longest id accepted: 256 characters.</summary>
    public const int MaxLength = 256;

    /// <summary>Why <paramref name="id"/> breaks the rule, or null when it follows it.</summary>
    public static string? Problem(string? id)
    {
        if (string.IsNullOrEmpty(id)) return "the id is missing";
        if (id.Length > MaxLength) return $"the id is {id.Length} characters long; at most {MaxLength} are allowed";
        return id.Any(char.IsControl) ? "the id contains a control character" : null;
    }

    /// <summary>An id short enough to quote in a message: the first 40 characters, control characters escaped.</summary>
    public static string Quote(string id)
    {
        ArgumentNullException.ThrowIfNull(id);
        var head = id.Length > 40 ? id[..40] + "..." : id;
        return string.Concat(head.Select(c => char.IsControl(c) ? $"\\u{(int)c:x4}" : c.ToString()));
    }
}
