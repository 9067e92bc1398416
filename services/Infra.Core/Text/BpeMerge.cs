namespace Infra.Core.Text;

/// <summary>One BPE merge: two adjacent tokens (byte-level strings, e.g. "Ġ" and "t") become one ("Ġt").</summary>
/// <param name="Left">The left token as stored in the vocabulary.</param>
/// <param name="Right">The right token as stored in the vocabulary.</param>
public readonly record struct BpeMerge(string Left, string Right)
{
    /// <summary>The token the merge produces.</summary>
    public string Result => Left + Right;
}
