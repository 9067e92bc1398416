using Google.Protobuf;
using Google.Protobuf.Reflection;
using Grpc.Core;

namespace Infra.Aggregation.Tests.Fuzz;

/// <summary>The outcome of one fuzzed call: its status (OK when it completed) and how many responses arrived.</summary>
internal sealed record CallOutcome(StatusCode Status, string Detail, int Responses);

/// <summary>
/// Calls any RPC by its descriptor, with messages (any shape the method takes) or raw bytes as the requests:
/// unary and server-streaming calls take the first request, client-streaming and duplex calls send all of them,
/// then half-close. Every failure becomes a <see cref="CallOutcome"/>, never an exception.
/// </summary>
internal static class RawCall
{
    public static Task<CallOutcome> MessagesAsync(CallInvoker invoker, MethodDescriptor method, IReadOnlyList<IMessage> requests, TimeSpan timeout) =>
        RunAsync(invoker, method, requests, m => m.ToByteArray(), timeout);

    public static Task<CallOutcome> BytesAsync(CallInvoker invoker, MethodDescriptor method, IReadOnlyList<byte[]> requests, TimeSpan timeout) =>
        RunAsync(invoker, method, requests, b => b, timeout);

    private static async Task<CallOutcome> RunAsync<T>(CallInvoker invoker, MethodDescriptor descriptor, IReadOnlyList<T> requests,
        Func<T, byte[]> serialize, TimeSpan timeout) where T : class
    {
        var type = (descriptor.IsClientStreaming, descriptor.IsServerStreaming) switch
        {
            (false, false) => MethodType.Unary,
            (false, true) => MethodType.ServerStreaming,
            (true, false) => MethodType.ClientStreaming,
            _ => MethodType.DuplexStreaming,
        };
        var method = new Method<T, IMessage>(type, descriptor.Service.FullName, descriptor.Name,
            Marshallers.Create(serialize, _ => throw new NotSupportedException("requests are only sent")),
            Marshallers.Create<IMessage>(m => m.ToByteArray(), descriptor.OutputType.Parser.ParseFrom));
        var options = new CallOptions(deadline: DateTime.UtcNow + timeout);
        var responses = 0;
        try
        {
            switch (type)
            {
                case MethodType.Unary:
                    await invoker.AsyncUnaryCall(method, null, options, requests[0]).ResponseAsync.ConfigureAwait(false);
                    responses = 1;
                    break;
                case MethodType.ServerStreaming:
                {
                    using var call = invoker.AsyncServerStreamingCall(method, null, options, requests[0]);
                    while (await call.ResponseStream.MoveNext(CancellationToken.None).ConfigureAwait(false)) responses++;
                    break;
                }
                case MethodType.ClientStreaming:
                {
                    using var call = invoker.AsyncClientStreamingCall(method, null, options);
                    await WriteAllAsync(call.RequestStream, requests).ConfigureAwait(false);
                    await call.ResponseAsync.ConfigureAwait(false);
                    responses = 1;
                    break;
                }
                default:
                {
                    using var call = invoker.AsyncDuplexStreamingCall(method, null, options);
                    var reading = Task.Run(async () =>
                    {
                        var n = 0;
                        while (await call.ResponseStream.MoveNext(CancellationToken.None).ConfigureAwait(false)) n++;
                        return n;
                    });
                    await WriteAllAsync(call.RequestStream, requests).ConfigureAwait(false);
                    responses = await reading.ConfigureAwait(false);
                    break;
                }
            }
            return new CallOutcome(StatusCode.OK, "", responses);
        }
        catch (RpcException e)
        {
            return new CallOutcome(e.StatusCode, e.Status.Detail, responses);
        }
    }

    // A write fails once the server has ended the call; the call's status then says why.
    private static async Task WriteAllAsync<T>(IClientStreamWriter<T> stream, IReadOnlyList<T> requests)
    {
        try
        {
            foreach (var r in requests) await stream.WriteAsync(r).ConfigureAwait(false);
            await stream.CompleteAsync().ConfigureAwait(false);
        }
        catch (Exception e) when (e is RpcException or InvalidOperationException or IOException)
        {
        }
    }
}
