using System.Text.Json;
using Infra.Core.Checkpoints;

namespace Infra.Core.Tests.Checkpoints;

public class SafetensorsWriterTests
{
    private static readonly float[] Specials =
    [
        0f, -0f, 1f, -1f, 0.1f, 3.14159265f, float.MaxValue, float.MinValue, float.Epsilon, -float.Epsilon,
        1e-40f, float.PositiveInfinity, float.NegativeInfinity, float.NaN, 65504f, 70000f, 6e-8f, 1.00390625f,
    ];

    [Theory]
    [InlineData(TensorDType.F32)]
    [InlineData(TensorDType.BF16)]
    [InlineData(TensorDType.F16)]
    public void Round_trips_float_tensors_through_the_file(TensorDType dtype)
    {
        using var dir = new TempFolder();
        var path = dir.File("rt.safetensors");
        var random = new Random(11);
        var values = Specials.Concat(Enumerable.Range(0, 100).Select(_ => (float)(random.NextDouble() * 200 - 100))).ToArray();
        var metadata = new Dictionary<string, string> { ["format"] = "pt", ["note"] = "a+b" };
        SafetensorsWriter.Write(path, [SafetensorsTensor.FromFloat32("v", [values.Length], values, dtype)], metadata);

        using var file = SafetensorsFile.Open(path);
        Assert.Equal(dtype, file.Info("v").DType);
        Assert.Equal(metadata, file.Metadata);
        var read = file.ReadAsFloat32("v");
        for (var i = 0; i < values.Length; i++)
        {
            var expected = dtype switch
            {
                TensorDType.F32 => values[i],
                TensorDType.F16 => (float)(Half)values[i],
                _ => BitConverter.UInt32BitsToSingle((uint)FloatEncoding.SingleToBFloat16(values[i]) << 16),
            };
            // Bitwise, so -0 vs +0 and NaN are compared exactly.
            if (float.IsNaN(expected)) Assert.True(float.IsNaN(read[i]));
            else Assert.Equal(BitConverter.SingleToUInt32Bits(expected), BitConverter.SingleToUInt32Bits(read[i]));
        }
        var span = new float[values.Length];
        file.ReadAsFloat32("v", span);
        Assert.Equal(read, span);
    }

    [Fact]
    public void Lays_out_data_as_HF_does_sorted_aligned_and_padded()
    {
        using var dir = new TempFolder();
        var path = dir.File("layout.safetensors");
        SafetensorsWriter.Write(path,
        [
            new SafetensorsTensor("c", TensorDType.U8, [3], new byte[] { 1, 2, 3 }),
            SafetensorsTensor.FromFloat32("b", [2], [1, 2], TensorDType.BF16),
            SafetensorsTensor.FromFloat32("a", [1], [5]),
            new SafetensorsTensor("d", TensorDType.I64, [1], BitConverter.GetBytes(42L)),
        ]);

        var bytes = File.ReadAllBytes(path);
        var headerLength = (long)BitConverter.ToUInt64(bytes, 0);
        Assert.Equal(0, (8 + headerLength) % 8);
        var headerText = System.Text.Encoding.UTF8.GetString(bytes, 8, (int)headerLength);
        using var header = JsonDocument.Parse(headerText);
        Assert.Equal(["a", "b", "c", "d"], header.RootElement.EnumerateObject().Select(p => p.Name));

        using var file = SafetensorsFile.Open(path);
        foreach (var info in file.Tensors.Values)
            Assert.Equal(0, (8 + headerLength + info.Begin) % info.DType.ElementSize());
        // Largest elements first, then by name: I64, F32, BF16, U8, contiguous from 0.
        Assert.Equal(0, file.Info("d").Begin);
        Assert.Equal(8, file.Info("a").Begin);
        Assert.Equal(12, file.Info("b").Begin);
        Assert.Equal(16, file.Info("c").Begin);
        Assert.Equal(bytes.Length, 8 + headerLength + 19);
        Assert.Equal(new byte[] { 1, 2, 3 }, file.GetBytes("c").ToArray());
        Assert.Equal(42L, BitConverter.ToInt64(file.GetBytes("d")));
    }

    [Fact]
    public void Overwrites_atomically_and_leaves_no_temp_files()
    {
        using var dir = new TempFolder();
        var path = dir.File("w.safetensors");
        SafetensorsWriter.Write(path, [SafetensorsTensor.FromFloat32("w", [1], [1])]);
        SafetensorsWriter.Write(path, [SafetensorsTensor.FromFloat32("w", [2], [3, 4])]);
        using var file = SafetensorsFile.Open(path);
        Assert.Equal([3f, 4f], file.ReadAsFloat32("w"));
        Assert.Equal(["w.safetensors"], Directory.GetFiles(dir.Path).Select(Path.GetFileName));
    }

    [Fact]
    public void Refuses_bad_tensors()
    {
        using var dir = new TempFolder();
        var path = dir.File("x.safetensors");
        var wrongLength = Assert.Throws<ArgumentException>(() => SafetensorsWriter.Write(path,
            [new SafetensorsTensor("w", TensorDType.F32, [2], new byte[4])]));
        Assert.Contains("4 bytes given but F32 x [2] needs 8", wrongLength.Message, StringComparison.Ordinal);
        var twice = Assert.Throws<ArgumentException>(() => SafetensorsWriter.Write(path,
            [SafetensorsTensor.FromFloat32("w", [1], [1]), SafetensorsTensor.FromFloat32("w", [1], [2])]));
        Assert.Contains("'w' is given twice", twice.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => SafetensorsTensor.FromFloat32("w", [3], [1, 2]));
        Assert.Throws<ArgumentException>(() => SafetensorsTensor.FromFloat32("w", [1], [1], TensorDType.I32));
        Assert.False(File.Exists(path));
    }
}
