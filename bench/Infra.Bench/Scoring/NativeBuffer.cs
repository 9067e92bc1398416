using System.Runtime.InteropServices;

namespace Infra.Bench.Scoring;

/// <summary>A large 64-byte-aligned native buffer (beyond array limits, no GC), touched on creation.</summary>
internal sealed unsafe class NativeBuffer : IDisposable
{
    public NativeBuffer(long bytes)
    {
        Bytes = bytes;
        Pointer = (byte*)NativeMemory.AlignedAlloc((nuint)bytes, 64);
        NativeMemory.Clear(Pointer, (nuint)bytes);
    }

    public byte* Pointer { get; private set; }

    public long Bytes { get; }

    public T* As<T>() where T : unmanaged => (T*)Pointer;

    public void Dispose()
    {
        NativeMemory.AlignedFree(Pointer);
        Pointer = null;
    }
}
