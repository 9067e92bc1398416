using System.Text;
using Google.Protobuf;
using Grpc.Core;

namespace Infra.Contracts.Grpc;

/// <summary>
/// Request marshallers whose failures are the caller's: grpc-dotnet decodes a unary or server-streaming request
/// before any interceptor runs and sends whatever the decoder throws as UNKNOWN "Exception was thrown by handler".
/// Wrapped, undecodable bytes (a bad tag, a truncated message, a string field that is not UTF-8) are INVALID_ARGUMENT
/// naming the message type and the problem. Streamed requests decode in MoveNext, so the same status reaches the
/// handler and passes the interceptor unchanged.
/// </summary>
public static class RequestDecoding
{
    /// <summary><paramref name="method"/> with its request marshaller wrapped.</summary>
    public static Method<TRequest, TResponse> Wrap<TRequest, TResponse>(Method<TRequest, TResponse> method)
    {
        ArgumentNullException.ThrowIfNull(method);
        var inner = method.RequestMarshaller;
        var marshaller = new Marshaller<TRequest>(inner.ContextualSerializer, context =>
        {
            try
            {
                return inner.ContextualDeserializer(context);
            }
            catch (Exception e) when (Problem(e) is { } problem)
            {
                throw ErrorStatus.Create(StatusCode.InvalidArgument, $"the request is not a valid {typeof(TRequest).Name}: {problem}");
            }
        });
        return new Method<TRequest, TResponse>(method.Type, method.ServiceName, method.Name, marshaller, method.ResponseMarshaller);
    }

    // Google.Protobuf reports invalid UTF-8 as the decoder's DecoderFallbackException, everything else as
    // InvalidProtocolBufferException; either is bad bytes from the caller, described without .NET type names.
    private static string? Problem(Exception e) => e switch
    {
        DecoderFallbackException => "a string field is not valid UTF-8",
        InvalidProtocolBufferException when e.Message.Contains("UTF-8", StringComparison.OrdinalIgnoreCase) => "a string field is not valid UTF-8",
        InvalidProtocolBufferException => $"the bytes are not a protobuf message ({e.Message.TrimEnd('.')})",
        _ => null,
    };
}
