namespace Infra.Aggregation.Sequences;

/// <summary>A parent grouping of sequences.</summary>
public enum SequenceBlockKind
{
    /// <summary>A reasoning step of prose: a line, or a paragraph with <see cref="StepBoundary.Paragraph"/>; holds its sentences.</summary>
    Step,

    /// <summary>A code block header and the statements indented under it (nested blocks have the outer block as parent).</summary>
    CodeBlock,

    /// <summary>A fenced code region: its opening and closing fence lines and everything between.</summary>
    FencedCode,
}
