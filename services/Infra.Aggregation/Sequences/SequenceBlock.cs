namespace Infra.Aggregation.Sequences;

/// <summary>
/// A parent grouping of consecutive sequences; its span is the union of its sequences' spans.
/// </summary>
/// <param name="Index">Position in <see cref="ResponseSegmentation.Blocks"/>, from 0, in order of opening.</param>
/// <param name="Kind">Step, code block or fenced code.</param>
/// <param name="Start">First character (UTF-16 offset, as <see cref="Sequence.Start"/>).</param>
/// <param name="Length">Characters.</param>
/// <param name="Parent">Index of the enclosing block (a nested code block's outer block, a code block's fence); null at top level.</param>
public sealed record SequenceBlock(int Index, SequenceBlockKind Kind, int Start, int Length, int? Parent)
{
    /// <summary>One past the last character.</summary>
    public int End => Start + Length;
}
