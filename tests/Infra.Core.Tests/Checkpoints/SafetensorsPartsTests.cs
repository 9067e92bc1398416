using Infra.Core.Checkpoints;

namespace Infra.Core.Tests.Checkpoints;

/// <summary>
/// A tensor given as consecutive pieces (how tensors over 2 GiB are written: a 7B model's float64 EK-FAC basis is 2.9 GB)
/// is written byte for byte as the same tensor given whole.
/// </summary>
public sealed class SafetensorsPartsTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    [InlineData(7)] // pieces of unequal sizes, the last one short
    public void A_tensor_in_pieces_writes_the_file_of_the_whole_tensor(int pieces)
    {
        using var dir = new TempFolder();
        var values = Enumerable.Range(0, 6 * 7).Select(i => i * 0.5 - 3).ToArray();
        var bytes = new byte[values.Length * sizeof(double)];
        Buffer.BlockCopy(values, 0, bytes, 0, bytes.Length);
        var small = SafetensorsTensor.FromFloat32("b", [2], [1f, 2f]);
        var whole = dir.File("whole.safetensors");
        var parted = dir.File("parted.safetensors");
        SafetensorsWriter.Write(whole, [new SafetensorsTensor("a", TensorDType.F64, [6, 7], bytes), small]);

        var step = (int)Math.Ceiling(bytes.Length / (double)pieces / sizeof(double)) * sizeof(double);
        var parts = Enumerable.Range(0, pieces).Select(i => i * step).Where(start => start < bytes.Length)
            .Select(start => (ReadOnlyMemory<byte>)bytes.AsMemory(start, Math.Min(step, bytes.Length - start))).ToList();
        SafetensorsWriter.Write(parted, [SafetensorsTensor.FromParts("a", TensorDType.F64, [6, 7], parts), small]);

        Assert.Equal(File.ReadAllBytes(whole), File.ReadAllBytes(parted));
        using var file = SafetensorsFile.Open(parted);
        Assert.Equal(bytes, file.GetBytes("a").ToArray());
    }

    [Fact]
    public void Pieces_that_do_not_add_up_to_the_shape_are_refused_naming_the_tensor()
    {
        using var dir = new TempFolder();
        var parts = new List<ReadOnlyMemory<byte>> { new byte[8], new byte[8] };
        var error = Assert.Throws<ArgumentException>(() =>
            SafetensorsWriter.Write(dir.File("x.safetensors"), [SafetensorsTensor.FromParts("a", TensorDType.F64, [3], parts)]));
        Assert.Contains("'a': 16 bytes given", error.Message, StringComparison.Ordinal);

        var both = new SafetensorsTensor("a", TensorDType.F64, [2], new byte[16]) { Parts = parts };
        error = Assert.Throws<ArgumentException>(() => SafetensorsWriter.Write(dir.File("y.safetensors"), [both]));
        Assert.Contains("not both", error.Message, StringComparison.Ordinal);
    }
}
