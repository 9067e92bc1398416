namespace Infra.Corpus;

/// <summary>One turn of an optional chat rendering of a record: role ("system", "user", "assistant", ...) and text.</summary>
public sealed record ChatMessage(string Role, string Content);
