namespace Infra.Torch.Ekfac;

/// <summary>How a memory-bounded EK-FAC fit splits its work and stores its factors.</summary>
public sealed record EkfacFitOptions
{
    /// <summary>
    /// Most float64 factor bytes (<see cref="EkfacLayerGroups.FactorBytes"/>) fitted in one pass over the corpus; the
    /// corpus is replayed from a spool once per further group. Defaults to null: one decoder layer's tracked projections
    /// per group, which bounds memory by one layer's factors whatever the depth.
    /// </summary>
    public long? GroupBudgetBytes { get; init; }

    /// <summary>How the factors are written. Defaults to <see cref="EkfacStorageType.Float64"/> (accumulation is float64 either way).</summary>
    public EkfacStorageType StorageType { get; init; } = EkfacStorageType.Float64;

    /// <summary>Folder of the temporary example spool a fit with several groups replays. Defaults to null: the system's temp folder.</summary>
    public string? SpoolFolder { get; init; }

    /// <summary>One decoder layer per group, float64 storage, the system temp folder.</summary>
    public static EkfacFitOptions Default { get; } = new();
}
