namespace Infra.Core.Store;

/// <summary>What the store did with an example.</summary>
public enum IngestOutcome
{
    /// <summary>Accepted (committed with the next shard).</summary>
    Stored,
    /// <summary>Already stored with the same content: skipped, as a resumed ingest expects.</summary>
    Skipped,
}
