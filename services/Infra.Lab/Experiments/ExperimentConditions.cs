namespace Infra.Lab.Experiments;

/// <summary>Names of <see cref="ExperimentCondition"/> as they appear in folders, JSON and tables.</summary>
public static class ExperimentConditions
{
    /// <summary>Every condition, in the order they are run and reported.</summary>
    public static IReadOnlyList<ExperimentCondition> All { get; } =
        [ExperimentCondition.Baseline, ExperimentCondition.DifficultyFlip, ExperimentCondition.ExplorationAblation];

    /// <summary>"baseline", "difficulty-flip" or "exploration-ablation".</summary>
    public static string Name(ExperimentCondition condition) => condition switch
    {
        ExperimentCondition.Baseline => "baseline",
        ExperimentCondition.DifficultyFlip => "difficulty-flip",
        ExperimentCondition.ExplorationAblation => "exploration-ablation",
        _ => throw new ArgumentOutOfRangeException(nameof(condition), condition, null),
    };
}
