using System.Buffers;
using System.Runtime.InteropServices;

namespace Infra.Gradients.Mapping;

/// <summary>
/// A range of an fp32 array seen as its little-endian bytes, so an fp32 factor chunk can wrap the engine's result
/// (<c>UnsafeByteOperations.UnsafeWrap</c>) instead of copying it into a new byte array first: on the gradient stream
/// that copy is the whole payload again. The array must not change while a message wraps it; the engine's result
/// arrays are written once and never again.
/// </summary>
internal sealed class FloatBytes(float[] values, int start, int length) : MemoryManager<byte>
{
    public override Span<byte> GetSpan() => MemoryMarshal.AsBytes(values.AsSpan(start, length));

    public override MemoryHandle Pin(int elementIndex = 0)
    {
        // The handle owns the pin: disposing it frees the GCHandle, so nothing stays pinned past its use.
        var pin = GCHandle.Alloc(values, GCHandleType.Pinned);
        unsafe
        {
            var first = (byte*)pin.AddrOfPinnedObject() + ((long)start * sizeof(float)) + elementIndex;
            return new MemoryHandle(first, pin, this);
        }
    }

    public override void Unpin()
    {
    }

    // Nothing is held between pins.
    protected override void Dispose(bool disposing)
    {
    }
}
