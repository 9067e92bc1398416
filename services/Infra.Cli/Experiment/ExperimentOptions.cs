namespace Infra.Cli.Experiment;

/// <summary>Arguments of <c>infra experiment difficulty-flip</c>.</summary>
internal sealed record ExperimentOptions
{
    /// <summary>The run folder. Defaults to artifacts/experiments/difficulty-flip.</summary>
    public string OutputPath { get; init; } = Path.Combine("artifacts", "experiments", "difficulty-flip");

    /// <summary>
    /// Output of <c>infra lab build-default</c> (model, tokenizer, query sets): the influence model. Defaults to
    /// models/default in the checkout this runs in; null outside one.
    /// </summary>
    public string? DefaultModelFolder { get; init; } =
        RepositoryRoot.Find() is { } root ? Path.Combine(root, Lab.DefaultModelFiles.RepositoryFolder) : null;

    /// <summary>The seconds-long configuration (tests). Defaults to false.</summary>
    public bool Quick { get; init; }

    /// <summary>Number of seeds (1, 2, ...); null keeps the configuration's (3 full, 1 quick).</summary>
    public int? Seeds { get; init; }

    /// <summary>Train nothing: write the tables of the runs already complete in the folder. Defaults to false.</summary>
    public bool ReportOnly { get; init; }

    /// <summary>Delete a run folder made with other arguments instead of refusing it. Defaults to false.</summary>
    public bool Overwrite { get; init; }
}
