namespace Infra.Lab.Corpus;

/// <summary>What <see cref="CorpusBuilder"/> generates. Validated by <see cref="Validate"/>.</summary>
public sealed class CorpusBuildOptions
{
    /// <summary>Seed of every random choice; the same seed gives byte-identical files. Defaults to 20250525.</summary>
    public int Seed { get; init; } = 20250525;

    /// <summary>Training examples. Defaults to 4,000.</summary>
    public int TrainCount { get; init; } = 4000;

    /// <summary>Held-out examples (no id or prompt shared with train). Defaults to 400.</summary>
    public int HeldOutCount { get; init; } = 400;

    /// <summary>Share of each split that is math (the rest is code). Defaults to 0.5.</summary>
    public double MathShare { get; init; } = 0.5;

    /// <summary>Query problems per domain, drawn from held-out and spread over difficulties. Defaults to 100.</summary>
    public int QueriesPerDomain { get; init; } = 100;

    /// <summary>Share of solutions with tagged exploratory behaviour. Defaults to 0.3.</summary>
    public double ExplorationShare { get; init; } = MathProblems.MathProblemGenerator.DefaultExplorationShare;

    /// <summary>Throws <see cref="ArgumentException"/> naming the first bad setting.</summary>
    public void Validate()
    {
        if (TrainCount < 0 || HeldOutCount < 0 || QueriesPerDomain < 0)
        {
            throw new ArgumentException("counts must not be negative");
        }
        if (MathShare is < 0 or > 1 || ExplorationShare is < 0 or > 1)
        {
            throw new ArgumentException("MathShare and ExplorationShare must be between 0 and 1");
        }
    }
}
