namespace Infra.Cli.Demo;

/// <summary>Arguments of <c>infra demo</c>.</summary>
internal sealed record DemoOptions
{
    /// <summary>HF checkpoint folder; written with a seeded tiny Qwen2 model when absent. Defaults to artifacts/demo/model.</summary>
    public string ModelPath { get; init; } = Path.Combine("artifacts", "demo", "model");

    /// <summary>Where results go. Defaults to artifacts/demo.</summary>
    public string OutputPath { get; init; } = Path.Combine("artifacts", "demo");

    /// <summary>cpu, cuda or auto. Defaults to auto.</summary>
    public string Device { get; init; } = "auto";

    /// <summary>Training examples. Defaults to 48.</summary>
    public int Examples { get; init; } = 48;

    /// <summary>Held-out queries. Defaults to 6.</summary>
    public int Queries { get; init; } = 6;

    /// <summary>Projected dims k_in = k_out. Defaults to 32.</summary>
    public int ProjectionDim { get; init; } = 32;
}
