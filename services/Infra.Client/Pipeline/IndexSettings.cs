using Infra.Contracts.Gradients.V1;
using Infra.Core.Metadata;
using DifficultyScheme = Infra.Core.Metadata.DifficultyScheme;

namespace Infra.Client.Pipeline;

/// <summary>How <see cref="InfluencePipeline.IndexAsync"/> creates a new store (an existing store's own schema wins).</summary>
public sealed record IndexSettings
{
    /// <summary>k_in = k_out of a new store. Defaults to 64.</summary>
    public int ProjectionDim { get; init; } = 64;

    /// <summary>Seed of the Gaussian projections of a new store. Defaults to 0.</summary>
    public ulong Seed { get; init; }

    /// <summary>Keep per-token factors (token-level scoring, K-FAC/EK-FAC fits on the store). Defaults to true.</summary>
    public bool TokenFactors { get; init; } = true;

    /// <summary>Storage dtype of a new store. Defaults to bfloat16.</summary>
    public WireDtype StoreDtype { get; init; } = WireDtype.Bfloat16;

    /// <summary>Examples per GradientService batch; 0 = the service's default. Defaults to 8.</summary>
    public int BatchSize { get; init; } = 8;

    /// <summary>
    /// With several GradientService workers, the batches of one unit of work (one call, one shard's examples): the workers
    /// pull units from a shared queue, so smaller units balance better and lose less when a worker dies, larger ones pay
    /// a call's start-up less often. Defaults to 4. Ignored with one GradientService (one call per shard, as before).
    /// </summary>
    public int BatchesPerUnit { get; init; } = 4;

    /// <summary>Cut over-long examples instead of failing. Defaults to false.</summary>
    public bool Truncate { get; init; }

    /// <summary>
    /// How the corpus's difficulty levels were obtained (mapped labels, binned ratings), for IngestHeader.difficulty
    /// (<see cref="Infra.Contracts.Metadata.MetadataWire.ToWire(DifficultyScheme)"/>); null = integer levels given in the
    /// corpus, the lab's schema, which leaves the header unset exactly as before. A store that saved a different scheme
    /// refuses the index before anything is sent. Defaults to null.
    /// </summary>
    public DifficultyScheme? Difficulty { get; init; }
}
