namespace Infra.Torch.Evaluation;

/// <summary>What the model wrote for one item (decoded without the stop token) and whether it was judged correct.</summary>
public sealed record EvaluationResult(string Id, string Domain, int Difficulty, string Generated, int GeneratedTokens, bool Stopped, bool Correct);
