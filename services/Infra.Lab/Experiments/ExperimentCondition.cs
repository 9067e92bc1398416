namespace Infra.Lab.Experiments;

/// <summary>The training conditions of the difficulty-flip experiment (Kou et al. 2025, in miniature).</summary>
public enum ExperimentCondition
{
    /// <summary>SFT on the mixed math/code corpus, every example weight 1.</summary>
    Baseline,

    /// <summary>The same corpus and steps, each example weighted by its domain x difficulty cell's difficulty-flip weight.</summary>
    DifficultyFlip,

    /// <summary>The same problems with the tagged exploratory spans stripped from the responses.</summary>
    ExplorationAblation,
}
