namespace Infra.Validation.Exact;

/// <summary>
/// The tiny setting of the exact-influence comparison: a Qwen2 of hidden 16 with a 2x MLP, every MLP projection of
/// its layers tracked (3,072 weights for 2 layers: small enough for a dense Fisher and its explicit inverse), briefly
/// trained on lab examples with the default tokenizer.
/// </summary>
public sealed record ExactComparisonOptions
{
    /// <summary>Folder with the tokenizer files. Defaults to <c>models/default/model</c>.</summary>
    public string TokenizerFolder { get; init; } = Path.Combine("models", "default", "model");

    /// <summary>Training examples. Defaults to 64.</summary>
    public int TrainExamples { get; init; } = 64;

    /// <summary>Queries. Defaults to 8.</summary>
    public int Queries { get; init; } = 8;

    /// <summary>Model width. Defaults to 16.</summary>
    public int HiddenSize { get; init; } = 16;

    /// <summary>Decoder layers (all tracked). Defaults to 2.</summary>
    public int Layers { get; init; } = 2;

    /// <summary>Training steps before the influence is taken (batch 8). Defaults to 30.</summary>
    public int Steps { get; init; } = 30;

    /// <summary>Projection sizes compared besides the full space. Defaults to 4, 8, 16.</summary>
    public IReadOnlyList<int> ProjectionDims { get; init; } = [4, 8, 16];

    /// <summary>Top-k overlap is over this many examples. Defaults to 10.</summary>
    public int TopK { get; init; } = 10;

    /// <summary>Seed of the corpus, the initial weights and the data order. Defaults to 3.</summary>
    public int Seed { get; init; } = 3;
}
