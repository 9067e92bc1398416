namespace Infra.Torch.Evaluation;

/// <summary>One evaluation prompt: the predicate <paramref name="IsCorrect"/> judges the generated text (the answer checker).</summary>
public sealed record EvaluationItem(string Id, string Prompt, Func<string, bool> IsCorrect, string Domain, int Difficulty);
