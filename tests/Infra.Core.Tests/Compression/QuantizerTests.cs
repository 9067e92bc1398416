using Infra.Core.Compression;

namespace Infra.Core.Tests.Compression;

public sealed class QuantizerTests
{
    public static TheoryData<FactorDType> DTypes => [FactorDType.Float32, FactorDType.BFloat16, FactorDType.Float16, FactorDType.Int8];

    [Theory]
    [MemberData(nameof(DTypes))]
    public void Round_trip_error_is_within_the_dtype_precision_for_every_shape(FactorDType dtype)
    {
        var random = new Random(11);
        foreach (var (rows, cols) in new[] { (0, 0), (1, 1), (1, 7), (3, 5), (17, 64), (2, 257) })
        {
            var values = Enumerable.Range(0, rows * cols).Select(_ => (float)(random.NextDouble() * 2 - 1) * 10).ToArray();
            var block = Quantizer.Encode(values, rows, cols, dtype);
            Assert.Equal(values.Length * Quantizer.ElementSize(dtype), block.Data.Length);
            Assert.Equal(dtype == FactorDType.Int8 ? rows : 0, block.RowScales.Length);
            var decoded = Quantizer.Decode(block);
            for (var r = 0; r < rows; r++)
            {
                var rowMax = Enumerable.Range(0, cols).Max(c => Math.Abs(values[r * cols + c]));
                for (var c = 0; c < cols; c++)
                {
                    var v = values[r * cols + c];
                    var bound = dtype switch
                    {
                        FactorDType.Float32 => 0,
                        FactorDType.BFloat16 => Math.Abs(v) / 256,   // 8 significant bits: half an ulp is 2^-8 relative
                        FactorDType.Float16 => Math.Abs(v) / 2048,
                        _ => rowMax / 127 / 2 * 1.0001,               // half a quantisation step of the row
                    };
                    Assert.True(Math.Abs(decoded[r * cols + c] - v) <= bound, $"{dtype} [{r},{c}] {v} -> {decoded[r * cols + c]}");
                }
            }
        }
    }

    [Fact]
    public void Bfloat16_rounds_to_nearest_even_and_keeps_specials()
    {
        Assert.Equal(0x3F80, Quantizer.ToBFloat16(1f));
        Assert.Equal(0x3F80, Quantizer.ToBFloat16(BitConverter.UInt32BitsToSingle(0x3F808000))); // tie -> even (down)
        Assert.Equal(0x3F82, Quantizer.ToBFloat16(BitConverter.UInt32BitsToSingle(0x3F818000))); // tie -> even (up)
        Assert.Equal(0x3F81, Quantizer.ToBFloat16(BitConverter.UInt32BitsToSingle(0x3F808001)));
        Assert.True(float.IsNaN(Quantizer.FromBFloat16(Quantizer.ToBFloat16(float.NaN))));
        Assert.Equal(float.PositiveInfinity, Quantizer.FromBFloat16(Quantizer.ToBFloat16(float.PositiveInfinity)));
        Assert.Equal(0x8000, Quantizer.ToBFloat16(-0f));
    }

    [Fact]
    public void Int8_rows_of_zeros_and_mismatched_blocks()
    {
        var decoded = Quantizer.Decode(Quantizer.Encode(new float[6], 2, 3, FactorDType.Int8));
        Assert.All(decoded, v => Assert.Equal(0f, v));
        Assert.Throws<ArgumentException>(() => Quantizer.Encode(new float[5], 2, 3, FactorDType.Float32));
        Assert.Throws<ArgumentException>(() => Quantizer.Decode(new QuantizedBlock(2, 3, FactorDType.BFloat16, new byte[5], [])));
        Assert.Throws<ArgumentException>(() => Quantizer.Decode(new QuantizedBlock(2, 3, FactorDType.Int8, new byte[6], [1f])));
    }
}
