using System.Runtime.InteropServices;
using Grpc.Core;
using Infra.Gradients.Services;
using Infra.Torch.Gradients;
using Microsoft.Extensions.Logging.Abstractions;

namespace Infra.Gradients.Tests;

/// <summary>Every failure class maps to its status with the message intact.</summary>
public sealed class ErrorMappingInterceptorTests
{
    public static TheoryData<Exception, StatusCode, string> Cases => new()
    {
        { new InvalidExampleException("e1", "the response is empty"), StatusCode.InvalidArgument, "example 'e1': the response is empty" },
        { new ArgumentException("bad projection"), StatusCode.InvalidArgument, "bad projection" },
        { new FileNotFoundException("no EK-FAC factors named 'x'"), StatusCode.NotFound, "no EK-FAC factors named 'x'" },
        { new InvalidOperationException("fitted on another model"), StatusCode.FailedPrecondition, "fitted on another model" },
#pragma warning disable CA2201 // libtorch's own exception type, as TorchSharp raises it for an allocation failure.
        { new ExternalException("CUDA out of memory. Tried to allocate 2.00 GiB"), StatusCode.ResourceExhausted, "libtorch: CUDA out of memory" },
        { new OutOfMemoryException(), StatusCode.ResourceExhausted, "libtorch:" },
#pragma warning restore CA2201
        { RealLibtorchError(), StatusCode.Internal, "libtorch: shape '[5]' is invalid for input of size 6" },
        { new OperationCanceledException(), StatusCode.Cancelled, "" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Failures_map_to_statuses(Exception failure, StatusCode expected, string message)
    {
        var interceptor = new ErrorMappingInterceptor(NullLogger<ErrorMappingInterceptor>.Instance);
        var error = await Assert.ThrowsAsync<RpcException>(() => interceptor.UnaryServerHandler<string, string>("", null!, (_, _) => throw failure));
        Assert.Equal(expected, error.StatusCode);
        Assert.Contains(message, error.Status.Detail, StringComparison.Ordinal);
    }

    // A genuine libtorch failure, raised through TorchSharp.
    private static ExternalException RealLibtorchError()
    {
        try
        {
            using var t = TorchSharp.torch.zeros(2, 3);
            using var bad = t.view(5);
        }
        catch (ExternalException ex)
        {
            return ex;
        }
        throw new InvalidOperationException("libtorch accepted an invalid view");
    }

    [Fact]
    public async Task Unknown_exceptions_and_rpc_exceptions_pass_through()
    {
        var interceptor = new ErrorMappingInterceptor(NullLogger<ErrorMappingInterceptor>.Instance);
        await Assert.ThrowsAsync<NotSupportedException>(() => interceptor.UnaryServerHandler<string, string>("", null!, (_, _) => throw new NotSupportedException()));
        var rpc = await Assert.ThrowsAsync<RpcException>(() => interceptor.UnaryServerHandler<string, string>("", null!,
            (_, _) => throw new RpcException(new Status(StatusCode.Unavailable, "x"))));
        Assert.Equal(StatusCode.Unavailable, rpc.StatusCode);
    }
}
