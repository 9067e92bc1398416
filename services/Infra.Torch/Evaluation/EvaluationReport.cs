namespace Infra.Torch.Evaluation;

/// <summary>Per-item results in input order and the accuracy table by domain x difficulty (sorted by both).</summary>
public sealed record EvaluationReport(IReadOnlyList<EvaluationResult> Items, IReadOnlyList<AccuracyCell> Table)
{
    /// <summary>Accuracy over all items.</summary>
    public double Accuracy => Items.Count == 0 ? 0 : (double)Items.Count(i => i.Correct) / Items.Count;
}
