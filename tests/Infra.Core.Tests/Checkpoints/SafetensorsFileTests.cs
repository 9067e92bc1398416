using System.Text;
using Infra.Core.Checkpoints;

namespace Infra.Core.Tests.Checkpoints;

public class SafetensorsFileTests
{
    [Fact]
    public void Reads_a_hand_written_standard_file()
    {
        using var dir = new TempFolder();
        var path = dir.File("hand.safetensors");
        // No padding and BF16 after F32: the reader must not rely on our writer's layout.
        const string header = """{"__metadata__":{"format":"pt"},"w":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"b":{"dtype":"BF16","shape":[1,2],"data_offsets":[8,12]},"h":{"dtype":"F16","shape":[],"data_offsets":[12,14]}}""";
        byte[] data =
        [
            0x00, 0x00, 0xC0, 0x3F, // 1.5f
            0x00, 0x00, 0x00, 0xC0, // -2.0f
            0x80, 0x3F,             // bf16 1.0
            0x00, 0xBF,             // bf16 -0.5
            0x00, 0x3C,             // f16 1.0
        ];
        RawSafetensors.Write(path, header, data);

        using var file = SafetensorsFile.Open(path);
        Assert.Equal(["b", "h", "w"], file.Tensors.Keys.Order(StringComparer.Ordinal));
        Assert.Equal("pt", file.Metadata["format"]);
        Assert.Equal(new SafetensorsTensorInfo("w", TensorDType.F32, [2], 0, 8).ToString(), file.Info("w").ToString());
        Assert.Equal([2L], file.Info("w").Shape);
        Assert.Equal([1L, 2L], file.Info("b").Shape);
        Assert.Equal(1, file.Info("h").ElementCount);
        Assert.Equal([1.5f, -2.0f], file.ReadAsFloat32("w"));
        Assert.Equal([1.0f, -0.5f], file.ReadAsFloat32("b"));
        Assert.Equal([1.0f], file.ReadAsFloat32("h"));
        Assert.Equal(new byte[] { 0x80, 0x3F, 0x00, 0xBF }, file.GetBytes("b").ToArray());
    }

    [Fact]
    public void Reads_ranges_of_a_tensor()
    {
        using var dir = new TempFolder();
        var path = dir.File("r.safetensors");
        var values = Enumerable.Range(0, 10).Select(i => i * 0.25f).ToArray();
        SafetensorsWriter.Write(path, [SafetensorsTensor.FromFloat32("x", [2, 5], values, TensorDType.BF16)]);

        using var file = SafetensorsFile.Open(path);
        var part = new float[4];
        file.ReadAsFloat32("x", 3, part);
        Assert.Equal(values[3..7], part);
        Assert.Throws<ArgumentOutOfRangeException>(() => file.ReadAsFloat32("x", 8, new float[4]));
        Assert.Throws<ArgumentException>(() => file.ReadAsFloat32("x", new float[9]));
        Assert.Equal(file.GetBytes("x").Slice(6, 4).ToArray(), file.GetBytes("x", 6, 4).ToArray());
    }

    private static CheckpointException OpenFails(string path) =>
        Assert.Throws<CheckpointException>(() => SafetensorsFile.Open(path).Dispose());

    private static CheckpointException OpenFails(TempFolder dir, string header, byte[] data)
    {
        var path = dir.File("bad.safetensors");
        RawSafetensors.Write(path, header, data);
        var ex = OpenFails(path);
        Assert.Contains("bad.safetensors", ex.Message, StringComparison.Ordinal);
        return ex;
    }

    [Fact]
    public void File_shorter_than_eight_bytes_is_refused()
    {
        using var dir = new TempFolder();
        var path = dir.File("short.safetensors");
        File.WriteAllBytes(path, [1, 2, 3, 4, 5]);
        var ex = OpenFails(path);
        Assert.Contains("short.safetensors", ex.Message, StringComparison.Ordinal);
        Assert.Contains("shorter than the 8-byte", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Missing_file_is_refused()
    {
        using var dir = new TempFolder();
        var ex = OpenFails(dir.File("absent.safetensors"));
        Assert.Contains("absent.safetensors", ex.Message, StringComparison.Ordinal);
        Assert.Contains("not found", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Header_length_larger_than_the_file_is_refused()
    {
        using var dir = new TempFolder();
        var path = dir.File("big.safetensors");
        var bytes = new byte[20];
        BitConverter.TryWriteBytes(bytes, 1000UL);
        File.WriteAllBytes(path, bytes);
        var ex = OpenFails(path);
        Assert.Contains("big.safetensors", ex.Message, StringComparison.Ordinal);
        Assert.Contains("header length 1000 is larger than the file (20 bytes)", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Corrupt_header_json_is_refused()
    {
        using var dir = new TempFolder();
        var ex = OpenFails(dir, """{"w":{"dtype":"F32",""", new byte[4]);
        Assert.Contains("not valid JSON", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Header_that_is_not_an_object_is_refused()
    {
        using var dir = new TempFolder();
        var ex = OpenFails(dir, "[1, 2]", []);
        Assert.Contains("must be a JSON object", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Unknown_dtype_is_named_with_the_supported_list()
    {
        using var dir = new TempFolder();
        var ex = OpenFails(dir, """{"w":{"dtype":"F8_E4M3","shape":[2],"data_offsets":[0,2]}}""", new byte[2]);
        Assert.Contains("tensor 'w'", ex.Message, StringComparison.Ordinal);
        Assert.Contains("unknown dtype 'F8_E4M3'", ex.Message, StringComparison.Ordinal);
        Assert.Contains("F32, F16, BF16", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Offsets_inconsistent_with_dtype_and_shape_give_both_sizes()
    {
        using var dir = new TempFolder();
        var ex = OpenFails(dir, """{"w":{"dtype":"F32","shape":[3],"data_offsets":[0,8]}}""", new byte[12]);
        Assert.Contains("tensor 'w'", ex.Message, StringComparison.Ordinal);
        Assert.Contains("span 8 bytes", ex.Message, StringComparison.Ordinal);
        Assert.Contains("needs 12 bytes", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Truncated_file_is_reported_as_truncated()
    {
        using var dir = new TempFolder();
        var path = dir.File("cut.safetensors");
        SafetensorsWriter.Write(path, [SafetensorsTensor.FromFloat32("w", [4], [1, 2, 3, 4])]);
        using (var stream = new FileStream(path, FileMode.Open))
            stream.SetLength(stream.Length - 3);
        var ex = OpenFails(path);
        Assert.Contains("cut.safetensors", ex.Message, StringComparison.Ordinal);
        Assert.Contains("tensor 'w'", ex.Message, StringComparison.Ordinal);
        Assert.Contains("truncated", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Overlapping_tensors_are_refused()
    {
        using var dir = new TempFolder();
        var ex = OpenFails(dir,
            """{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"b":{"dtype":"F32","shape":[2],"data_offsets":[4,12]}}""",
            new byte[12]);
        Assert.Contains("'a' [0, 8) and 'b' [4, 12) overlap", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Empty_tensors_may_share_an_offset()
    {
        using var dir = new TempFolder();
        var path = dir.File("empty.safetensors");
        RawSafetensors.Write(path,
            """{"a":{"dtype":"F32","shape":[0],"data_offsets":[0,0]},"b":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}}""",
            new byte[4]);
        using var file = SafetensorsFile.Open(path);
        Assert.Empty(file.ReadAsFloat32("a"));
        Assert.Equal([0f], file.ReadAsFloat32("b"));
    }

    [Fact]
    public void Float_conversion_of_an_integer_tensor_names_tensor_and_dtype()
    {
        using var dir = new TempFolder();
        var path = dir.File("ints.safetensors");
        RawSafetensors.Write(path, """{"ids":{"dtype":"I32","shape":[1],"data_offsets":[0,4]}}""", [7, 0, 0, 0]);
        using var file = SafetensorsFile.Open(path);
        Assert.Equal(new byte[] { 7, 0, 0, 0 }, file.GetBytes("ids").ToArray());
        var ex = Assert.Throws<CheckpointException>(() => file.ReadAsFloat32("ids"));
        Assert.Contains("ints.safetensors", ex.Message, StringComparison.Ordinal);
        Assert.Contains("tensor 'ids' has dtype I32", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Unknown_tensor_and_use_after_dispose_fail_clearly()
    {
        using var dir = new TempFolder();
        var path = dir.File("one.safetensors");
        SafetensorsWriter.Write(path, [SafetensorsTensor.FromFloat32("w", [1], [1])]);
        var file = SafetensorsFile.Open(path);
        var ex = Assert.Throws<CheckpointException>(() => file.ReadAsFloat32("nope"));
        Assert.Contains("no tensor 'nope'", ex.Message, StringComparison.Ordinal);
        file.Dispose();
        Assert.Throws<ObjectDisposedException>(() => file.ReadAsFloat32("w"));
    }

    [Fact]
    public void Header_bytes_are_utf8_json()
    {
        // Guards the hand-written helper itself: the length prefix counts bytes, not chars.
        using var dir = new TempFolder();
        var path = dir.File("utf8.safetensors");
        const string header = """{"é":{"dtype":"U8","shape":[1],"data_offsets":[0,1]}}""";
        RawSafetensors.Write(path, header, [9]);
        Assert.Equal(Encoding.UTF8.GetByteCount(header), (int)BitConverter.ToUInt64(File.ReadAllBytes(path), 0));
        using var file = SafetensorsFile.Open(path);
        Assert.Equal(new byte[] { 9 }, file.GetBytes("é").ToArray());
    }
}
