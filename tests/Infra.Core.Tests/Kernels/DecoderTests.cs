using System.Runtime.Intrinsics;
using Infra.Core.Compression;
using Infra.Core.Kernels;

namespace Infra.Core.Tests.Kernels;

public sealed class DecoderTests
{
    [Fact]
    public unsafe void Fp16_decode_in_registers_is_exact_for_all_65536_bit_patterns()
    {
        var all = new Half[65536];
        for (var i = 0; i < all.Length; i++)
            all[i] = BitConverter.UInt16BitsToHalf((ushort)i);
        fixed (Half* p = all)
        {
            for (var i = 0; i < all.Length; i += 16)
            {
                var wide = KernelPaths.IsSupported(KernelPath.Vector512) ? Float16Decoder.Load16(p + i) : default;
                var narrow = KernelPaths.IsSupported(KernelPath.Vector256) ? Float16Decoder.Load8(p + i) : default;
                var narrow2 = KernelPaths.IsSupported(KernelPath.Vector256) ? Float16Decoder.Load8(p + i + 8) : default;
                for (var j = 0; j < 16; j++)
                {
                    var expected = (float)all[i + j];
                    AssertSame(expected, Float16Decoder.Load1(p + i + j), i + j);
                    if (KernelPaths.IsSupported(KernelPath.Vector512))
                        AssertSame(expected, wide[j], i + j);
                    if (KernelPaths.IsSupported(KernelPath.Vector256))
                        AssertSame(expected, j < 8 ? narrow[j] : narrow2[j - 8], i + j);
                }
            }
        }
    }

    [Fact]
    public unsafe void Bf16_decode_in_registers_is_exact_for_all_65536_bit_patterns()
    {
        var all = new ushort[65536];
        for (var i = 0; i < all.Length; i++)
            all[i] = (ushort)i;
        fixed (ushort* p = all)
        {
            for (var i = 0; i < all.Length; i += 16)
            {
                var wide = KernelPaths.IsSupported(KernelPath.Vector512) ? BFloat16Decoder.Load16(p + i) : default;
                var narrow = KernelPaths.IsSupported(KernelPath.Vector256) ? BFloat16Decoder.Load8(p + i) : default;
                for (var j = 0; j < 16; j++)
                {
                    var expected = Quantizer.FromBFloat16(all[i + j]);
                    AssertSame(expected, BFloat16Decoder.Load1(p + i + j), i + j);
                    if (KernelPaths.IsSupported(KernelPath.Vector512))
                        AssertSame(expected, wide[j], i + j);
                    if (j < 8 && KernelPaths.IsSupported(KernelPath.Vector256))
                        AssertSame(expected, narrow[j], i + j);
                }
            }
        }
    }

    // Bit-identical, except that any NaN matches any NaN (payloads are not part of the contract).
    private static void AssertSame(float expected, float actual, int pattern)
    {
        if (float.IsNaN(expected))
            Assert.True(float.IsNaN(actual), $"pattern 0x{pattern:X4}: expected NaN, got {actual}");
        else
            Assert.True(BitConverter.SingleToUInt32Bits(expected) == BitConverter.SingleToUInt32Bits(actual), $"pattern 0x{pattern:X4}: {expected} vs {actual}");
    }
}
