using Infra.Torch.Evaluation;

namespace Infra.Cli.Experiment;

/// <summary>
/// What one (condition, seed) run did, kept as result.json in its folder: the trained budget (optimizer steps, response
/// tokens, and tokens weighted by the example weights, counted exactly from the trainer's plan), the loss, the times,
/// held-out accuracy and the held-out reference responses' mean log-likelihood by domain x difficulty.
/// </summary>
internal sealed record UnitResult
{
    public required string Condition { get; init; }

    public required int Seed { get; init; }

    public required int Steps { get; init; }

    /// <summary>Response (loss) tokens of every example of every step.</summary>
    public required long LossTokens { get; init; }

    /// <summary><c>sum w_i n_i</c> over every example of every step: the budget a weighted run spends.</summary>
    public required double WeightedLossTokens { get; init; }

    /// <summary>The step training resumed at (0 for a run from scratch).</summary>
    public required int ResumedAtStep { get; init; }

    public required double FirstLoss { get; init; }

    public required double FinalLoss { get; init; }

    public required double TrainingSeconds { get; init; }

    public required double EvaluationSeconds { get; init; }

    public required IReadOnlyList<AccuracyCell> Cells { get; init; }

    /// <summary>Mean answer log-likelihood of the held-out reference responses, per cell.</summary>
    public required IReadOnlyList<LikelihoodCell> LogLikelihood { get; init; }

    /// <summary>
    /// The same on the references with their tagged exploratory spans stripped (as the ablation trains): the fair
    /// likelihood comparison for the exploration ablation, whose model never saw those spans. Null in a result.json
    /// written before this measurement existed (the experiment completes it from the kept final model).
    /// </summary>
    public IReadOnlyList<LikelihoodCell>? StrippedLogLikelihood { get; init; }
}
