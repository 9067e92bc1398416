using Infra.Torch.Evaluation;

namespace Infra.Cli.Lab;

/// <summary>What a build produced and how: written as accuracy.json and accuracy.md.</summary>
internal sealed record BuildSummary
{
    public required int Seed { get; init; }
    public required bool Quick { get; init; }
    public required DefaultModelRecipe Recipe { get; init; }
    public required int TrainExamples { get; init; }
    public required int HeldOutExamples { get; init; }
    public required int TokenizerVocabSize { get; init; }
    public required long Parameters { get; init; }
    public required long ModelBytes { get; init; }
    public required int Steps { get; init; }
    public required double FirstLoss { get; init; }
    public required double FinalLoss { get; init; }
    public required double TrainingSeconds { get; init; }
    public required double TokensPerSecond { get; init; }
    public required double EvaluationSeconds { get; init; }
    public required int MaxNewTokens { get; init; }
    public required EvaluationReport Evaluation { get; init; }
}
