namespace Infra.Core.Store;

/// <summary>How a store commits shards and opens.</summary>
public sealed record GradientStoreOptions
{
    /// <summary>A shard is committed when it holds this many examples. Defaults to 1,024.</summary>
    public int ShardExamples { get; init; } = 1024;

    /// <summary>... or this many bytes of fp32 payload (before quantisation). Defaults to 256 MiB (shards stay well under 2 GB).</summary>
    public long ShardBytes { get; init; } = 256L << 20;

    /// <summary>Check every shard's checksum on open (sizes are always checked). Defaults to true.</summary>
    public bool VerifyOnOpen { get; init; } = true;

    /// <summary>
    /// Told of every write step before it happens (fault injection in tests: throw to fail that step).
    /// Defaults to null (no hook).
    /// </summary>
    public StoreWriteHook? BeforeWrite { get; init; }
}
