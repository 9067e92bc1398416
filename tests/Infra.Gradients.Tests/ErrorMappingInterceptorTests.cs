using System.Runtime.InteropServices;
using Google.Rpc;
using Grpc.Core;
using Infra.Core.Errors;
using Infra.Core.Store;
using Infra.Gradients.Services;
using Infra.Torch.Gradients;
using Microsoft.Extensions.Logging.Abstractions;

namespace Infra.Gradients.Tests;

/// <summary>
/// Domain failures map to the status of their kind with the message intact; .NET's own exceptions are bugs and become
/// INTERNAL with a correlation id and nothing of their message.
/// </summary>
public sealed class ErrorMappingInterceptorTests
{
    public static TheoryData<Exception, StatusCode, string> Cases => new()
    {
        { new InvalidExampleException("e1", "the response is empty"), StatusCode.InvalidArgument, "example 'e1': the response is empty" },
        { DomainException.InvalidArgument("bad projection", "options.projection.dim"), StatusCode.InvalidArgument, "bad projection" },
        { DomainException.NotFound("no EK-FAC factors named 'x'"), StatusCode.NotFound, "no EK-FAC factors named 'x'" },
        { DomainException.FailedPrecondition("fitted on another model"), StatusCode.FailedPrecondition, "fitted on another model" },
        { new StoreException(StoreErrorKind.Corrupt, "shard 3 is truncated"), StatusCode.DataLoss, "shard 3 is truncated" },
        { new StoreException(StoreErrorKind.FailedPrecondition, "the store is empty"), StatusCode.FailedPrecondition, "the store is empty" },
#pragma warning disable CA2201 // libtorch's own exception type, as TorchSharp raises it for an allocation failure.
        { new ExternalException("CUDA out of memory. Tried to allocate 2.00 GiB"), StatusCode.ResourceExhausted, "CUDA out of memory" },
        { new OutOfMemoryException(), StatusCode.ResourceExhausted, "" },
#pragma warning restore CA2201
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Failures_map_to_statuses(Exception failure, StatusCode expected, string message)
    {
        var error = await Intercept(failure);
        Assert.Equal(expected, error.StatusCode);
        Assert.Contains(message, error.Status.Detail, StringComparison.Ordinal);
        Assert.NotNull(error.GetRpcStatus());
    }

    [Fact]
    public async Task A_failure_naming_a_field_carries_a_bad_request_violation()
    {
        var error = await Intercept(DomainException.InvalidArgument("dim must be positive", "options.projection.dim"));
        var violation = Assert.Single(error.GetRpcStatus()!.GetDetail<BadRequest>()!.FieldViolations);
        Assert.Equal("options.projection.dim", violation.Field);
        Assert.Equal("dim must be positive", violation.Description);
    }

    public static TheoryData<Exception> Bugs => new()
    {
        new ArgumentException("'capacity' must be positive (Parameter 'capacity')"),
        new KeyNotFoundException("The given key '/srv/store/x' was not present in the dictionary."),
        new InvalidOperationException("Sequence contains no elements"),
        new FormatException("The input string '/srv/x' was not in a correct format."),
        new OperationCanceledException(), // not the call's own cancellation
        RealLibtorchError(),
    };

    [Theory]
    [MemberData(nameof(Bugs))]
    public async Task Other_exceptions_are_internal_with_a_correlation_id_and_no_internals(Exception failure)
    {
        var error = await Intercept(failure);
        Assert.Equal(StatusCode.Internal, error.StatusCode);
        var info = error.GetRpcStatus()!.GetDetail<ErrorInfo>()!;
        var id = info.Metadata["correlation_id"];
        Assert.Equal($"internal error (correlation id {id})", error.Status.Detail);
        Assert.Equal(32, id.Length);
    }

    [Fact]
    public async Task The_calls_own_cancellation_is_cancelled_and_a_passed_deadline_is_deadline_exceeded()
    {
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();
        var error = await Intercept(new OperationCanceledException(cancelled.Token), new FakeCallContext(DateTime.MaxValue, cancelled.Token));
        Assert.Equal(StatusCode.Cancelled, error.StatusCode);
        error = await Intercept(new OperationCanceledException(cancelled.Token), new FakeCallContext(DateTime.UtcNow.AddSeconds(-1), cancelled.Token));
        Assert.Equal(StatusCode.DeadlineExceeded, error.StatusCode);
    }

    [Fact]
    public async Task A_stream_the_caller_reset_is_cancelled_but_the_same_error_on_a_live_call_is_a_bug()
    {
        // Kestrel reports a client's RST_STREAM as this IOException from the request body, and fires the call's token.
        var reset = new IOException("The client reset the request stream.");
        using var gone = new CancellationTokenSource();
        await gone.CancelAsync();
        Assert.Equal(StatusCode.Cancelled, (await Intercept(reset, new FakeCallContext(DateTime.MaxValue, gone.Token))).StatusCode);
        Assert.Equal(StatusCode.Internal, (await Intercept(reset)).StatusCode);
    }

    [Fact]
    public async Task Rpc_exceptions_pass_through()
    {
        var rpc = await Intercept(new RpcException(new Grpc.Core.Status(StatusCode.Unavailable, "x")));
        Assert.Equal(StatusCode.Unavailable, rpc.StatusCode);
        Assert.Equal("x", rpc.Status.Detail);
    }

    private static Task<RpcException> Intercept(Exception failure, FakeCallContext? context = null) =>
        Assert.ThrowsAsync<RpcException>(() => new ErrorMappingInterceptor(NullLogger<ErrorMappingInterceptor>.Instance)
            .UnaryServerHandler<string, string>("", context ?? new FakeCallContext(), (_, _) => throw failure));

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
}
