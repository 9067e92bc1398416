using Google.Protobuf.WellKnownTypes;
using Google.Rpc;
using Grpc.Core;
using Infra.Core.Errors;
using RpcStatus = Google.Rpc.Status;

namespace Infra.Contracts.Grpc;

/// <summary>
/// Builds the <see cref="RpcException"/>s the services send: a <c>google.rpc.Status</c> in the status trailer with a
/// <see cref="BadRequest"/> field violation when a request field is named, otherwise an <see cref="ErrorInfo"/>
/// whose reason is the status name. Clients read them with <c>RpcException.GetRpcStatus()</c>.
/// </summary>
public static class ErrorStatus
{
    /// <summary>The <see cref="ErrorInfo.Domain"/> of every error the services send: "infra.services".</summary>
    public const string Domain = "infra.services";

    /// <summary>The <see cref="ErrorInfo.Metadata"/> key of an INTERNAL error's correlation id: "correlation_id".</summary>
    public const string CorrelationIdKey = "correlation_id";

    /// <summary>The status of the same name as <paramref name="kind"/>.</summary>
    public static StatusCode CodeOf(ErrorKind kind) => kind switch
    {
        ErrorKind.InvalidArgument => StatusCode.InvalidArgument,
        ErrorKind.NotFound => StatusCode.NotFound,
        ErrorKind.FailedPrecondition => StatusCode.FailedPrecondition,
        ErrorKind.OutOfRange => StatusCode.OutOfRange,
        ErrorKind.AlreadyExists => StatusCode.AlreadyExists,
        ErrorKind.PermissionDenied => StatusCode.PermissionDenied,
        ErrorKind.ResourceExhausted => StatusCode.ResourceExhausted,
        ErrorKind.DataLoss => StatusCode.DataLoss,
        _ => StatusCode.Internal,
    };

    /// <summary>
    /// An error with <paramref name="message"/>; a <see cref="BadRequest"/> naming <paramref name="field"/> when given
    /// (for any code: an out-of-range or not-found value is still that field's), else an <see cref="ErrorInfo"/>.
    /// </summary>
    public static RpcException Create(StatusCode code, string message, string? field = null)
    {
        var status = new RpcStatus { Code = (int)code, Message = message };
        if (field is not null)
        {
            var violation = new BadRequest.Types.FieldViolation { Field = field, Description = message };
            status.Details.Add(Any.Pack(new BadRequest { FieldViolations = { violation } }));
        }
        status.Details.Add(Any.Pack(new ErrorInfo { Reason = ReasonOf(code), Domain = Domain }));
        return status.ToRpcException();
    }

    /// <summary>INVALID_ARGUMENT naming <paramref name="field"/>, with a <see cref="BadRequest"/> field violation.</summary>
    public static RpcException InvalidArgument(string field, string message) => Create(StatusCode.InvalidArgument, message, field);

    /// <summary>
    /// INTERNAL with only <paramref name="correlationId"/> in the message and in the <see cref="ErrorInfo"/>: what went
    /// wrong is in the server's log under that id, never sent to the caller (no paths, no .NET type names).
    /// </summary>
    public static RpcException Internal(string correlationId)
    {
        var status = new RpcStatus { Code = (int)StatusCode.Internal, Message = $"internal error (correlation id {correlationId})" };
        status.Details.Add(Any.Pack(new ErrorInfo { Reason = ReasonOf(StatusCode.Internal), Domain = Domain, Metadata = { [CorrelationIdKey] = correlationId } }));
        return status.ToRpcException();
    }

    // "INVALID_ARGUMENT", as gRPC spells the codes.
    private static string ReasonOf(StatusCode code) =>
        string.Concat(code.ToString().Select((c, i) => i > 0 && char.IsUpper(c) ? "_" + c : c.ToString())).ToUpperInvariant();
}
