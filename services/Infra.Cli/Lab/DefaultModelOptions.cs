namespace Infra.Cli.Lab;

/// <summary>Arguments of <c>infra lab build-default</c>.</summary>
internal sealed record DefaultModelOptions
{
    /// <summary>Folder everything is written to (corpus/, model/, accuracy.json, ...). Defaults to models/default.</summary>
    public string OutputPath { get; init; } = Path.Combine("models", "default");

    /// <summary>Seed of the corpus, the initial weights and the data order. Defaults to 20250525.</summary>
    public int Seed { get; init; } = 20250525;

    /// <summary>A tiny corpus, model and run, for tests (seconds, not minutes). Defaults to false.</summary>
    public bool Quick { get; init; }
}
