namespace Infra.Core.Errors;

/// <summary>
/// A failure the domain knows the kind of: a refused request, a missing thing, a server not ready for the call.
/// The services send it as the gRPC status named by <see cref="Kind"/>, with <see cref="Exception.Message"/> as the
/// text and, when <see cref="Field"/> is set, a field violation naming the request field. Anything else that escapes
/// a call is a bug and is sent as INTERNAL without its message.
/// </summary>
public class DomainException : Exception
{
    public DomainException(ErrorKind kind, string message, string? field = null, Exception? inner = null)
        : base(message, inner)
    {
        Kind = kind;
        Field = field;
    }

    public DomainException()
        : this(ErrorKind.InvalidArgument, "invalid request")
    {
    }

    public DomainException(string message)
        : this(ErrorKind.InvalidArgument, message)
    {
    }

    public DomainException(string message, Exception innerException)
        : this(ErrorKind.InvalidArgument, message, null, innerException)
    {
    }

    /// <summary>The kind of failure; defaults to <see cref="ErrorKind.InvalidArgument"/>.</summary>
    public ErrorKind Kind { get; }

    /// <summary>
    /// The request field at fault as spelled in protos/ (<c>top_k</c>, <c>options.forward_to</c>), or null when the
    /// failure is not one field's.
    /// </summary>
    public string? Field { get; }

    /// <summary>A refused request value; <paramref name="field"/> is the proto field name, when there is one.</summary>
    public static DomainException InvalidArgument(string message, string? field = null) => new(ErrorKind.InvalidArgument, message, field);

    /// <summary>A named thing that does not exist; <paramref name="field"/> is the request field that named it.</summary>
    public static DomainException NotFound(string message, string? field = null) => new(ErrorKind.NotFound, message, field);

    /// <summary>A valid request the server cannot do in its present state.</summary>
    public static DomainException FailedPrecondition(string message, string? field = null) => new(ErrorKind.FailedPrecondition, message, field);

    /// <summary>A request the caller may not make (a path outside the roots, an address not allowed).</summary>
    public static DomainException PermissionDenied(string message, string? field = null) => new(ErrorKind.PermissionDenied, message, field);
}
