using static TorchSharp.torch;

namespace Infra.Torch.Gradients;

/// <summary>
/// A page-locked host buffer that device-to-host copies land in, kept and grown as needed: page-locking costs milliseconds
/// per hundred megabytes, so a buffer made per batch (or per gRPC call, which makes its own engine) would cost more than
/// the pageable copy it replaces. Used only with a GPU (pinning needs CUDA); callers serialise on the instance
/// (<see cref="DeferredHostCopy"/> locks it), which costs nothing that matters: the copies share one bus anyway.
/// </summary>
public sealed class PinnedStaging : IDisposable
{
    private Tensor? _buffer;

    /// <summary>The process's buffer (at most <see cref="DeferredHostCopy.GroupBytes"/> x 1.5 once grown; nothing until a GPU
    /// copy needs it).</summary>
    public static PinnedStaging Shared { get; } = new();

    /// <summary>Copies the float32 vector <paramref name="source"/> (on the device) into the buffer and returns its
    /// <paramref name="bytes"/> bytes; valid until the next copy.</summary>
    internal ReadOnlySpan<byte> Copy(Tensor source, long bytes)
    {
        if (bytes > int.MaxValue) throw new ArgumentOutOfRangeException(nameof(bytes), bytes, "a staged copy must stay under 2 GiB");
        var count = bytes / sizeof(float);
        var buffer = _buffer;
        var capacity = buffer?.NumberOfElements ?? 0;
        if (buffer is null || capacity < count)
        {
            buffer?.Dispose();
            // Grown by half again so that slowly growing batches do not re-pin every time.
            using var pageable = empty([Math.Max(count, (long)(capacity * 1.5))], ScalarType.Float32, CPU);
            // Page-locking needs CUDA; without it (the tests' CPU-only runs of the gathered path) the buffer stays pageable.
            buffer = _buffer = (TorchSharp.torch.cuda.is_available() ? pageable.pin_memory() : pageable.clone()).DetachFromDisposeScope();
        }
        using (var target = buffer.narrow(0, 0, count))
            target.copy_(source);
        return buffer.bytes[..(int)bytes];
    }

    /// <summary>Releases the page-locked memory.</summary>
    public void Dispose()
    {
        _buffer?.Dispose();
        _buffer = null;
    }
}
