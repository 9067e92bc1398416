namespace Infra.Aggregation.Sequences;

/// <summary>
/// One sequence of a segmented response: <paramref name="Start"/> and <paramref name="Length"/> are
/// UTF-16 offsets into the text that was segmented (the whole rendered example for a
/// <see cref="SequenceTokenMap"/>).
/// </summary>
/// <param name="Index">Position in the partition, from 0.</param>
/// <param name="Kind">What the sequence is.</param>
/// <param name="Start">First character.</param>
/// <param name="Length">Characters, including the whitespace attached to it (see <see cref="SequenceSegmenter"/>).</param>
/// <param name="Block">Index of the innermost <see cref="SequenceBlock"/> holding it; null when none does.</param>
public sealed record Sequence(int Index, SequenceKind Kind, int Start, int Length, int? Block)
{
    /// <summary>One past the last character.</summary>
    public int End => Start + Length;

    /// <summary>True for code statements (lines, headers); fences are syntax and count as code too.</summary>
    public bool IsCode => Kind is SequenceKind.CodeLine or SequenceKind.CodeBlockHeader or SequenceKind.Fence;
}
