namespace Infra.Aggregation.Sequences;

/// <summary>
/// A response cut into sequences: <see cref="Sequences"/> partition
/// [<see cref="Start"/>, <see cref="Start"/> + <see cref="Length"/>) in order, every character in
/// exactly one; <see cref="Blocks"/> group them (steps, code blocks, fenced code).
/// </summary>
/// <param name="Start">First character of the segmented region.</param>
/// <param name="Length">Characters in the region.</param>
/// <param name="Sequences">The partition, in text order.</param>
/// <param name="Blocks">Parent groupings, in order of opening.</param>
public sealed record ResponseSegmentation(int Start, int Length, IReadOnlyList<Sequence> Sequences, IReadOnlyList<SequenceBlock> Blocks);
