using Infra.Core.Checkpoints;

namespace Infra.Core.Tests.Checkpoints;

public class FloatEncodingTests
{
    /// <summary>
    /// Scalar reference for float32 -> bf16: pick the nearer of the two bf16 neighbours in double
    /// arithmetic, ties to the even mantissa; NaN maps to some NaN.
    /// </summary>
    private static ushort ReferenceBFloat16(float x)
    {
        if (float.IsNaN(x)) return 0x7FC0;
        var bits = BitConverter.SingleToUInt32Bits(x);
        var truncated = bits & 0xFFFF0000u;
        if (truncated == bits) return (ushort)(bits >> 16);
        var exponent = (int)((bits >> 23) & 0xFF);
        // bf16 keeps 7 mantissa bits, so one step is 2^(e-127-7), subnormals use e = 1.
        var ulp = Math.ScaleB(1.0, Math.Max(exponent, 1) - 127 - 7);
        var magnitude = Math.Abs((double)x);
        var lower = Math.Abs((double)BitConverter.UInt32BitsToSingle(truncated));
        var upper = lower + ulp;
        var down = magnitude - lower;
        var up = upper - magnitude;
        var roundUp = up < down || (up == down && ((truncated >> 16) & 1) == 1);
        return (ushort)((roundUp ? truncated + 0x10000u : truncated) >> 16);
    }

    private static void AssertMatchesReference(float x)
    {
        var actual = FloatEncoding.SingleToBFloat16(x);
        var expected = ReferenceBFloat16(x);
        if (float.IsNaN(x))
        {
            Assert.True(float.IsNaN(FloatEncoding.BFloat16ToSingle(actual)), $"NaN 0x{BitConverter.SingleToUInt32Bits(x):X8} became 0x{actual:X4}");
            Assert.Equal(x < 0 || BitConverter.SingleToUInt32Bits(x) >> 31 == 1, (actual >> 15) == 1);
        }
        else
        {
            Assert.True(expected == actual, $"0x{BitConverter.SingleToUInt32Bits(x):X8}: expected 0x{expected:X4}, got 0x{actual:X4}");
        }
    }

    [Theory]
    [InlineData(0x00000000u, (ushort)0x0000)] // +0
    [InlineData(0x80000000u, (ushort)0x8000)] // -0 keeps its sign
    [InlineData(0x7F800000u, (ushort)0x7F80)] // +Inf
    [InlineData(0xFF800000u, (ushort)0xFF80)] // -Inf
    [InlineData(0x3F808000u, (ushort)0x3F80)] // 1 + half a bf16 step: tie, stays even
    [InlineData(0x3F818000u, (ushort)0x3F82)] // tie from an odd mantissa rounds up to even
    [InlineData(0x3F808001u, (ushort)0x3F81)] // just above the tie rounds up
    [InlineData(0x7F7FFFFFu, (ushort)0x7F80)] // float.MaxValue rounds to Inf, as torch does
    [InlineData(0x00000001u, (ushort)0x0000)] // smallest subnormal rounds to zero
    [InlineData(0x00008000u, (ushort)0x0000)] // subnormal tie to even (zero)
    [InlineData(0x00018000u, (ushort)0x0002)] // subnormal tie from odd rounds up
    [InlineData(0x807FFFFFu, (ushort)0x8080)] // largest negative subnormal rounds into the normals
    [InlineData(0xBF800000u, (ushort)0xBF80)] // -1 exact
    public void BFloat16_rounds_special_cases_to_nearest_even(uint inputBits, ushort expected)
    {
        var x = BitConverter.UInt32BitsToSingle(inputBits);
        Assert.Equal(expected, FloatEncoding.SingleToBFloat16(x));
        Assert.Equal(expected, ReferenceBFloat16(x));
    }

    [Theory]
    [InlineData(0x7FC00000u)]
    [InlineData(0x7F800001u)] // signalling NaN whose payload sits only in the dropped bits
    [InlineData(0xFF800001u)]
    [InlineData(0x7FFFFFFFu)]
    public void BFloat16_keeps_NaN_a_NaN_with_its_sign(uint inputBits)
    {
        AssertMatchesReference(BitConverter.UInt32BitsToSingle(inputBits));
    }

    [Fact]
    public void BFloat16_matches_reference_on_random_bit_patterns()
    {
        var random = new Random(12345);
        Span<byte> bytes = stackalloc byte[4];
        for (var i = 0; i < 200_000; i++)
        {
            random.NextBytes(bytes);
            AssertMatchesReference(BitConverter.ToSingle(bytes));
        }
    }

    [Fact]
    public void Every_bf16_value_survives_widening_and_narrowing()
    {
        for (var bits = 0; bits <= ushort.MaxValue; bits++)
        {
            var wide = FloatEncoding.BFloat16ToSingle((ushort)bits);
            var back = FloatEncoding.SingleToBFloat16(wide);
            if (float.IsNaN(wide))
                Assert.True(float.IsNaN(FloatEncoding.BFloat16ToSingle(back)));
            else
                Assert.Equal((ushort)bits, back);
        }
    }

    [Fact]
    public void Encode_and_decode_match_scalar_conversions_for_every_length_up_to_67()
    {
        var random = new Random(3);
        for (var length = 0; length <= 67; length++)
        {
            var values = new float[length];
            for (var i = 0; i < length; i++)
                values[i] = (float)((random.NextDouble() - 0.5) * Math.Pow(2, random.Next(-30, 30)));

            var f16 = FloatEncoding.Encode(values, TensorDType.F16);
            var bf16 = FloatEncoding.Encode(values, TensorDType.BF16);
            var f32 = FloatEncoding.Encode(values, TensorDType.F32);
            var decoded16 = new float[length];
            var decodedB = new float[length];
            var decoded32 = new float[length];
            FloatEncoding.Decode(TensorDType.F16, f16, decoded16);
            FloatEncoding.Decode(TensorDType.BF16, bf16, decodedB);
            FloatEncoding.Decode(TensorDType.F32, f32, decoded32);
            for (var i = 0; i < length; i++)
            {
                Assert.Equal(BitConverter.HalfToUInt16Bits((Half)values[i]), BitConverter.ToUInt16(f16, 2 * i));
                Assert.Equal((float)(Half)values[i], decoded16[i]);
                Assert.Equal(ReferenceBFloat16(values[i]), BitConverter.ToUInt16(bf16, 2 * i));
                Assert.Equal(BitConverter.UInt32BitsToSingle((uint)ReferenceBFloat16(values[i]) << 16), decodedB[i]);
                Assert.Equal(values[i], decoded32[i]);
            }
        }
    }

    [Fact]
    public void Dtype_names_round_trip_and_sizes_follow_the_format()
    {
        foreach (var dtype in TensorDTypes.All)
        {
            Assert.True(TensorDTypes.TryParse(dtype.ToSafetensorsName(), out var parsed));
            Assert.Equal(dtype, parsed);
        }
        Assert.Equal(4, TensorDType.F32.ElementSize());
        Assert.Equal(2, TensorDType.BF16.ElementSize());
        Assert.Equal(2, TensorDType.F16.ElementSize());
        Assert.Equal(8, TensorDType.I64.ElementSize());
        Assert.Equal(1, TensorDType.BOOL.ElementSize());
        Assert.Equal("BOOL", TensorDType.BOOL.ToSafetensorsName());
        Assert.False(TensorDTypes.TryParse("bf16", out _));
        Assert.False(TensorDTypes.TryParse("F8_E4M3", out _));
    }
}
