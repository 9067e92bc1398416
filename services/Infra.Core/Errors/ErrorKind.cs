namespace Infra.Core.Errors;

/// <summary>
/// What kind of failure a <see cref="DomainException"/> is. The names are gRPC's status names on purpose: the
/// services send a domain failure as the status of the same name, and nothing is guessed from .NET exception types.
/// </summary>
public enum ErrorKind
{
    /// <summary>The request is wrong whatever the server's state (a bad value, a malformed name, an unknown example id).</summary>
    InvalidArgument,
    /// <summary>A named thing (query set, preconditioner, factors, file) does not exist.</summary>
    NotFound,
    /// <summary>The request is valid but the server is not in a state to do it (empty store, stale preconditioner, another model).</summary>
    FailedPrecondition,
    /// <summary>A value is valid in kind but outside the range the server serves (an index past the end).</summary>
    OutOfRange,
    /// <summary>The thing to create already exists and may not be replaced.</summary>
    AlreadyExists,
    /// <summary>The caller may not do this (an address or path it may not name).</summary>
    PermissionDenied,
    /// <summary>A limit or quota was reached (memory, disk, a configured bound).</summary>
    ResourceExhausted,
    /// <summary>Data the server holds is missing, truncated or corrupt.</summary>
    DataLoss,
}
