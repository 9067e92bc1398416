using Infra.Cli.Lab;

namespace Infra.Cli.Demo;

/// <summary>Arguments of <c>infra demo</c>.</summary>
internal sealed record DemoOptions
{
    /// <summary>
    /// HF checkpoint folder; written with a seeded tiny Qwen2 model when absent. Defaults to null: the trained default
    /// (<see cref="DefaultModelFolder"/>/model) when it exists, else a seeded untrained model in <see cref="SeededModelPath"/>.
    /// </summary>
    public string? ModelPath { get; init; }

    /// <summary>
    /// Output of <c>infra lab build-default</c>: its model, training corpus and correctly answered queries. Defaults to
    /// models/default in the checkout this runs in (found by walking up to Infra.Services.sln); null outside one.
    /// </summary>
    public string? DefaultModelFolder { get; init; } =
        RepositoryRoot.Find() is { } root ? Path.Combine(root, DefaultModelFiles.RepositoryFolder) : null;

    /// <summary>Where the untrained fallback model is written when no model is given and no default is built. Defaults to artifacts/demo/model.</summary>
    public string SeededModelPath { get; init; } = Path.Combine("artifacts", "demo", "model");

    /// <summary>Where results go. Defaults to artifacts/demo.</summary>
    public string OutputPath { get; init; } = Path.Combine("artifacts", "demo");

    /// <summary>cpu, cuda or auto. Defaults to auto.</summary>
    public string Device { get; init; } = "auto";

    /// <summary>Training examples, balanced over domain x difficulty. Defaults to 200 (20 per cell), enough for a roll-up by cell.</summary>
    public int Examples { get; init; } = 200;

    /// <summary>
    /// Held-out queries the model answers correctly, balanced over domain x difficulty. Defaults to 30: every correctly answered
    /// math problem of the default (9) and code problems across difficulties.
    /// </summary>
    public int Queries { get; init; } = 30;

    /// <summary>
    /// Projected dims k_in = k_out of the compact store (stage 1). Defaults to 64: 8 KiB per tracked layer per example in bf16,
    /// where EK-FAC fitted on the store ranks best (docs/validation/fidelity.md); the scores shown are reranked exactly anyway.
    /// </summary>
    public int ProjectionDim { get; init; } = 64;
}
