namespace Infra.Aggregation.Sequences;

/// <summary>What makes one reasoning step of prose.</summary>
public enum StepBoundary
{
    /// <summary>Each non-blank line is a step (the lab's responses write one step per line).</summary>
    Line,

    /// <summary>Consecutive non-blank lines form one step; blank lines separate steps.</summary>
    Paragraph,
}
