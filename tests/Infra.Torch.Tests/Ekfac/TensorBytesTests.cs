using Infra.Torch.Ekfac;
using static TorchSharp.torch;

namespace Infra.Torch.Tests.Ekfac;

/// <summary>A tensor's bytes cut into pieces (how EK-FAC factors over 2 GiB are written) are its bytes, in order, whole elements each.</summary>
public sealed class TensorBytesTests
{
    [Theory]
    [InlineData(8L)]       // one element per piece
    [InlineData(40L)]      // five elements per piece, the last piece short
    [InlineData(13L)]      // not a multiple of the element size: rounded down to whole elements
    [InlineData(1L << 30)]
    public void Pieces_concatenate_to_the_tensor_bytes(long pieceBytes)
    {
        using var t = arange(0, 42, dtype: ScalarType.Float64).reshape(6, 7);
        var pieces = TensorBytes.Pieces(t, pieceBytes);
        var joined = pieces.SelectMany(p => p.ToArray()).ToArray();

        Assert.Equal(t.bytes.ToArray(), joined);
        Assert.All(pieces, p => Assert.Equal(0, p.Length % 8));
        Assert.All(pieces.SkipLast(1), p => Assert.Equal(Math.Max(8, pieceBytes / 8 * 8), p.Length));
    }

    [Fact]
    public void Pieces_are_read_back_by_the_chunked_reader()
    {
        using var t = randn(33, 5, dtype: ScalarType.Float64);
        var joined = TensorBytes.Pieces(t, 48).SelectMany(p => p.ToArray()).ToArray();
        using var back = TensorBytes.Read((offset, count) => joined.AsSpan((int)offset, count), ScalarType.Float64, [33, 5]);
        Assert.Equal(t.bytes.ToArray(), back.bytes.ToArray());
    }
}
