namespace Infra.Core.Store;

/// <summary>What kind of store failure happened; services map it to a status.</summary>
public enum StoreErrorKind
{
    /// <summary>The request's data is wrong (dims, values, conflicting duplicates, another model).</summary>
    InvalidData,
    /// <summary>The store is not in a state for this (empty, stale or conflicting preconditioner, no token factors, in use).</summary>
    FailedPrecondition,
    /// <summary>Files on disk are missing, truncated or corrupt.</summary>
    Corrupt,
    /// <summary>The disk (or another resource) is exhausted; nothing of the failed write was committed, so it can be retried.</summary>
    ResourceExhausted,
}

/// <summary>A store that cannot be opened or written, or data it must refuse; the message names the file or example.</summary>
public sealed class StoreException : Exception
{
    public StoreException(string message) : base(message) { }

    public StoreException(string message, Exception inner) : base(message, inner) { }

    public StoreException(StoreErrorKind kind, string message, Exception? inner = null) : base(message, inner) => Kind = kind;

    /// <summary>Defaults to <see cref="StoreErrorKind.InvalidData"/>.</summary>
    public StoreErrorKind Kind { get; }
}
