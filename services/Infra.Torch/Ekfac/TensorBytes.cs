using System.Buffers;
using static TorchSharp.torch;

namespace Infra.Torch.Ekfac;

/// <summary>
/// Moves a CPU tensor's bytes to and from files without a managed copy: at 8960² a float64 basis is 640 MB, and a
/// <c>double[]</c> plus a <c>byte[]</c> copy of it would triple the memory of a save or a load.
/// </summary>
internal static class TensorBytes
{
    // Elements copied per step on a load, so each span stays well under int bytes.
    private const long ChunkElements = 1L << 26;

    /// <summary>Bytes per piece of <see cref="Pieces"/>: 1 GiB, well under a span's 2 GiB.</summary>
    public const long PieceBytes = 1L << 30;

    /// <summary>
    /// The bytes of <paramref name="t"/> (contiguous, on the CPU) as consecutive pieces of at most <paramref name="pieceBytes"/>
    /// (whole elements), each memory the tensor keeps owning: what a tensor over 2 GiB is written from.
    /// </summary>
    public static IReadOnlyList<ReadOnlyMemory<byte>> Pieces(Tensor t, long pieceBytes = PieceBytes)
    {
        if (!t.is_contiguous() || t.device_type != TorchSharp.DeviceType.CPU)
            throw new ArgumentException("a byte view needs a contiguous CPU tensor", nameof(t));
        var flat = t.view(-1);
        var perPiece = Math.Max(1, pieceBytes / t.element_size());
        var pieces = new List<ReadOnlyMemory<byte>>();
        for (long start = 0; start < flat.shape[0]; start += perPiece)
            pieces.Add(new TensorMemory(flat.narrow(0, start, Math.Min(perPiece, flat.shape[0] - start))).Memory);
        return pieces;
    }

    /// <summary>Copies <paramref name="source"/> (raw little-endian elements of <paramref name="type"/>) into a new tensor of <paramref name="shape"/>.</summary>
    public static Tensor Read(Func<long, int, ReadOnlySpan<byte>> source, ScalarType type, long[] shape)
    {
        var result = empty(shape, type);
        using var flat = result.view(-1);
        var size = result.element_size();
        for (long start = 0; start < flat.shape[0]; start += ChunkElements)
        {
            var count = Math.Min(ChunkElements, flat.shape[0] - start);
            using var part = flat.narrow(0, start, count);
            source(start * size, checked((int)(count * size))).CopyTo(part.bytes);
        }
        return result;
    }

    // The safetensors writer only reads Span, once per tensor; nothing pins it.
    private sealed class TensorMemory(Tensor tensor) : MemoryManager<byte>
    {
        public override Span<byte> GetSpan() => tensor.bytes;

        public override MemoryHandle Pin(int elementIndex = 0) => throw new NotSupportedException("tensor memory is read as a span, never pinned");

        public override void Unpin()
        {
        }

        protected override void Dispose(bool disposing)
        {
        }
    }
}
