namespace Infra.Validation.Fidelity;

/// <summary>
/// The setting of the stage-1 fidelity measurement: the embedded default model, a balanced sample of its training
/// split, held-out queries it answers correctly, and every stage-1 path at several projection sizes and seeds,
/// compared with exact full-space EK-FAC influence (no projection).
/// </summary>
public sealed record FidelityOptions
{
    /// <summary>The model folder (config, safetensors, tokenizer). Defaults to <c>models/default/model</c>.</summary>
    public string ModelFolder { get; init; } = Path.Combine("models", "default", "model");

    /// <summary>Folder with <c>queries-math.jsonl</c> and <c>queries-code.jsonl</c>. Defaults to <c>models/default</c>.</summary>
    public string QueriesFolder { get; init; } = Path.Combine("models", "default");

    /// <summary>Training examples, round-robin over domain x difficulty of the regenerated training split. Defaults to 256.</summary>
    public int Examples { get; init; } = 256;

    /// <summary>Queries, round-robin over domain x difficulty of the correctly answered held-out problems. Defaults to 8.</summary>
    public int Queries { get; init; } = 8;

    /// <summary>Projection seeds per k (0, 1, ...). Defaults to 3.</summary>
    public int Seeds { get; init; } = 3;

    /// <summary>Projection sizes k (k_in = k_out = k). Defaults to 16, 32, 64.</summary>
    public IReadOnlyList<int> Dims { get; init; } = [16, 32, 64];

    /// <summary>Stage-1 paths measured. Defaults to every <see cref="StageOnePath"/>.</summary>
    public IReadOnlyList<StageOnePath> Paths { get; init; } = Enum.GetValues<StageOnePath>();

    /// <summary>The exact top (and bottom) examples whose recall is measured. Defaults to 10.</summary>
    public int TopK { get; init; } = 10;

    /// <summary>Stage-1 candidate counts as shares of the corpus (the recall curve). Defaults to 1, 2, 5, 10, 15, 20, 30, 50 %.</summary>
    public IReadOnlyList<double> CandidateShares { get; init; } = [0.01, 0.02, 0.05, 0.10, 0.15, 0.20, 0.30, 0.50];

    /// <summary>Seed of the regenerated training split: the default model's own. Defaults to 20,250,525.</summary>
    public int CorpusSeed { get; init; } = 20250525;

    /// <summary>Examples per forward/backward. Defaults to 8.</summary>
    public int BatchSize { get; init; } = 8;

    /// <summary>A tiny run for tests: 48 examples, 2 queries, 1 seed, k = 8 and 16, the curve up to 100 %.</summary>
    public static FidelityOptions Quick(string modelFolder, string queriesFolder) => new()
    {
        ModelFolder = modelFolder,
        QueriesFolder = queriesFolder,
        Examples = 48,
        Queries = 2,
        Seeds = 1,
        Dims = [8, 16],
        CandidateShares = [0.1, 0.5, 1.0],
    };

    /// <summary>Throws <see cref="ArgumentException"/> for a setting that cannot run.</summary>
    public void Validate()
    {
        if (Examples < 2) throw new ArgumentException($"need at least 2 training examples, got {Examples}");
        if (Queries < 1) throw new ArgumentException($"need at least 1 query, got {Queries}");
        if (Seeds < 1) throw new ArgumentException($"need at least 1 projection seed, got {Seeds}");
        if (Dims.Count == 0 || Dims.Any(k => k <= 0)) throw new ArgumentException("projection sizes must be positive");
        if (TopK < 1) throw new ArgumentException($"top-k must be positive, got {TopK}");
        if (CandidateShares.Any(s => s is <= 0 or > 1)) throw new ArgumentException("candidate shares must be in (0, 1]");
    }
}
