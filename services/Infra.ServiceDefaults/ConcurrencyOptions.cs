using System.ComponentModel.DataAnnotations;

namespace Infra.ServiceDefaults;

/// <summary>
/// How many gRPC calls one service runs at once, bound from the "Concurrency" section
/// (<c>Concurrency__MaxConcurrentCalls</c>, <c>--Concurrency:MaxConcurrentCalls=…</c>); validated at start-up.
/// </summary>
/// <remarks>
/// A call beyond <see cref="MaxConcurrentCalls"/> waits up to <see cref="QueueWaitMilliseconds"/> for a slot
/// if fewer than <see cref="MaxQueuedCalls"/> are already waiting; otherwise, or when the wait ends, it is
/// refused with RESOURCE_EXHAUSTED so an overloaded service answers quickly instead of collapsing.
/// The grpc.health.v1 service is never limited.
/// </remarks>
public sealed class ConcurrencyOptions
{
    /// <summary>The configuration section name: "Concurrency".</summary>
    public const string Section = "Concurrency";

    /// <summary>Calls running at once. Defaults to 64 (twice the 32-client load target, whose calls may fan out once).</summary>
    [Range(1, 100_000)]
    public int MaxConcurrentCalls { get; set; } = 64;

    /// <summary>Calls waiting for a slot at once; 0 refuses at once when full. Defaults to 256.</summary>
    [Range(0, 1_000_000)]
    public int MaxQueuedCalls { get; set; } = 256;

    /// <summary>Longest wait for a slot, in milliseconds (the call's own deadline also ends it). Defaults to 10,000 (10 s).</summary>
    [Range(0, 3_600_000)]
    public int QueueWaitMilliseconds { get; set; } = 10_000;
}
