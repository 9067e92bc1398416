namespace Infra.Core.Compression;

/// <summary>
/// How per-token factors are compressed: seeded Gaussian random projections
/// <c>P_in (k_in x d_in)</c>, <c>P_out (k_out x d_out)</c> scaled by <c>1/sqrt(k)</c>, or the
/// identity (exact mode). Each layer's matrices are derived from <see cref="Seed"/> and the layer's name,
/// so any process can rebuild them.
/// </summary>
public sealed record ProjectionSpec
{
    /// <summary>Default projected dimension: 64 (for both <c>k_in</c> and <c>k_out</c>).</summary>
    public const int DefaultDim = 64;

    /// <summary>Exact mode: no projection. Defaults to false.</summary>
    public bool Identity { get; init; }

    /// <summary>Projected input dim <c>k_in</c>. Defaults to 64. Capped at <c>d_in</c> per layer.</summary>
    public int KIn { get; init; } = DefaultDim;

    /// <summary>Projected output dim <c>k_out</c>. Defaults to 64. Capped at <c>d_out</c> per layer.</summary>
    public int KOut { get; init; } = DefaultDim;

    /// <summary>Seed of the projections. Defaults to 0.</summary>
    public ulong Seed { get; init; }

    /// <summary>The exact (identity) projection.</summary>
    public static ProjectionSpec Exact { get; } = new() { Identity = true };

    /// <summary>The effective <c>(k_in, k_out)</c> for a layer of the given dims.</summary>
    public (int KIn, int KOut) DimsFor(int dIn, int dOut) =>
        Identity ? (dIn, dOut) : (Math.Min(KIn, dIn), Math.Min(KOut, dOut));

    /// <summary>Throws <see cref="ArgumentException"/> when a dim is not positive.</summary>
    public void Validate()
    {
        if (!Identity && (KIn <= 0 || KOut <= 0))
            throw new ArgumentException($"projection dims must be positive (k_in={KIn}, k_out={KOut})");
    }
}
