namespace Infra.Cli.Experiment;

/// <summary>Everything a difficulty-flip run measured; written as results.json and rendered as results.md.</summary>
internal sealed record ExperimentResults
{
    public required ExperimentConfig Config { get; init; }

    /// <summary>The command line that reproduces the run.</summary>
    public required string Command { get; init; }

    public required string InfluenceModel { get; init; }

    public required int TrainExamples { get; init; }

    /// <summary>Training examples with at least one tagged exploratory span (what the ablation changes).</summary>
    public required int ExamplesWithExploration { get; init; }

    /// <summary>Response tokens of one epoch, as generated and with the exploratory spans stripped.</summary>
    public required long LossTokensPerEpoch { get; init; }

    public required long AblatedLossTokensPerEpoch { get; init; }

    public required int EvaluationItems { get; init; }

    public required InfluenceRollup Influence { get; init; }

    public required IReadOnlyList<CellWeightRow> CellWeights { get; init; }

    /// <summary>|sum w_i n_i - sum n_i| / sum n_i over one epoch of the reweighted corpus: 0 up to rounding.</summary>
    public required double BudgetRelativeError { get; init; }

    public required IReadOnlyList<BudgetRow> Budgets { get; init; }

    public required IReadOnlyList<UnitResult> Units { get; init; }

    public required IReadOnlyList<AccuracyRow> Accuracy { get; init; }

    /// <summary>Held-out reference responses' mean answer log-likelihood, rows as <see cref="Accuracy"/>.</summary>
    public required IReadOnlyList<LikelihoodRow> LogLikelihood { get; init; }

    /// <summary>The same on the exploration-stripped references (runs that lack it are left out of its rows).</summary>
    public required IReadOnlyList<LikelihoodRow> StrippedLogLikelihood { get; init; }

    /// <summary>(condition, seed) runs whose results are in this table; fewer than <see cref="RunsPlanned"/> while the run is under way.</summary>
    public required int RunsComplete { get; init; }

    public required int RunsPlanned { get; init; }

    /// <summary>Units trained or evaluated by this invocation (0 when everything was already in the folder).</summary>
    public required int UnitsRunNow { get; init; }

    /// <summary>Wall time of this invocation.</summary>
    public required double WallSeconds { get; init; }

    /// <summary>Training + evaluation seconds of every unit plus the influence roll-up, across invocations.</summary>
    public required double ComputeSeconds { get; init; }
}
