namespace Infra.Core.Store;

/// <summary>An example's tokens as reports need them: ids, loss mask, per-token losses, the text and each token's span in it.</summary>
public sealed record TokenDetails(int[] TokenIds, byte[] LossMask, float[] TokenLosses, string Text, int[] CharStarts, int[] CharLengths)
{
    /// <summary>The token's text (its span in <see cref="Text"/>; empty when no text was kept).</summary>
    public string TokenString(int t) =>
        CharStarts.Length > t && CharStarts[t] + CharLengths[t] <= Text.Length ? Text.Substring(CharStarts[t], CharLengths[t]) : "";
}
