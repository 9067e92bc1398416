namespace Infra.Corpus;

/// <summary>
/// ShareGPT's speakers (<c>from</c>) as chat-template roles: human is the user, gpt the assistant; system, user and
/// assistant are already roles. Other speakers (tool calls, observations) have no agreed role and are refused.
/// </summary>
internal static class ShareGptRoles
{
    private static readonly Dictionary<string, string> BySpeaker = new(StringComparer.Ordinal)
    {
        ["human"] = "user",
        ["user"] = "user",
        ["gpt"] = "assistant",
        ["assistant"] = "assistant",
        ["system"] = "system",
    };

    /// <summary>The speakers known, for error messages.</summary>
    public static IEnumerable<string> Speakers => BySpeaker.Keys;

    /// <summary>The role of <paramref name="speaker"/>, or null when it has none.</summary>
    public static string? Role(string speaker) => BySpeaker.GetValueOrDefault(speaker);
}
