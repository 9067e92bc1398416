namespace Infra.Aggregation.Sequences;

/// <summary>Settings of <see cref="SequenceSegmenter"/>.</summary>
public sealed class SequenceSegmenterOptions
{
    /// <summary>What makes a prose step. Defaults to <see cref="StepBoundary.Line"/>.</summary>
    public StepBoundary StepBoundary { get; init; } = StepBoundary.Line;

    /// <summary>Columns a tab counts for when code indentation is compared. Defaults to 4.</summary>
    public int TabWidth { get; init; } = 4;
}
