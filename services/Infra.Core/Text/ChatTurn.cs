namespace Infra.Core.Text;

/// <summary>One message of a conversation: <paramref name="Role"/> as chat templates expect it (<c>system</c>,
/// <c>user</c>, <c>assistant</c>) and its text.</summary>
public sealed record ChatTurn(string Role, string Content);
