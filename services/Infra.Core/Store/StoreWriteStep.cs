namespace Infra.Core.Store;

/// <summary>A step at which a store writes to disk; <see cref="GradientStoreOptions.BeforeWrite"/> is told of each one.</summary>
public enum StoreWriteStep
{
    /// <summary>Writing a shard's <c>.safetensors</c> (temp file).</summary>
    ShardTensors,
    /// <summary>Writing a shard's <c>.metadata.arrow</c> (temp file).</summary>
    ShardMetadata,
    /// <summary>Writing <c>manifest.json</c> (temp file).</summary>
    Manifest,
    /// <summary>Writing a preconditioner's tensors (temp file).</summary>
    Preconditioner,
    /// <summary>Writing a query set's tensors (temp file).</summary>
    QuerySetTensors,
    /// <summary>Writing a query set's <c>.json</c> (temp file), which makes the set visible.</summary>
    QuerySetDescription,
    /// <summary>Flushing any of the temp files above to disk.</summary>
    Fsync,
    /// <summary>Renaming any of the temp files above over its final name.</summary>
    Rename,
}

/// <summary>
/// Called before each write step with the file's final path: a seam for tests to inject faults (throw
/// from it as the failing step would). Null in production.
/// </summary>
public delegate void StoreWriteHook(StoreWriteStep step, string path);
