using System.Buffers.Binary;
using System.Numerics.Tensors;
using System.Runtime.InteropServices;

namespace Infra.Core.Checkpoints;

/// <summary>
/// Conversions between float32 and the float dtypes safetensors stores (little-endian bytes).
/// bf16 is the upper half of a float32; encoding rounds to nearest, ties to even, as PyTorch does.
/// </summary>
internal static class FloatEncoding
{
    /// <summary>Widens a bf16 bit pattern: exact, since bf16 is a truncated float32.</summary>
    public static float BFloat16ToSingle(ushort bits) => BitConverter.Int32BitsToSingle(bits << 16);

    /// <summary>Rounds a float32 to bf16, nearest-even; NaN stays a (quiet) NaN with its sign.</summary>
    public static ushort SingleToBFloat16(float value)
    {
        var bits = BitConverter.SingleToUInt32Bits(value);
        if (float.IsNaN(value))
        {
            // Truncating could clear every mantissa bit left and turn NaN into Inf; set the quiet bit.
            return (ushort)((bits >> 16) | 0x0040);
        }
        // Adding 0x7FFF plus the lowest kept bit rounds half-way cases to the even neighbour;
        // a carry into the exponent is the correct round-up (to Inf at the top of the range).
        var lsb = (bits >> 16) & 1;
        return (ushort)((bits + 0x7FFFu + lsb) >> 16);
    }

    /// <summary>Decodes <paramref name="source"/> (elements of <paramref name="dtype"/>) into <paramref name="destination"/>.</summary>
    public static void Decode(TensorDType dtype, ReadOnlySpan<byte> source, Span<float> destination)
    {
        switch (dtype)
        {
            case TensorDType.F32:
                // Safetensors is little-endian and so is every host this runs on (checked at open).
                MemoryMarshal.Cast<byte, float>(source).CopyTo(destination);
                break;
            case TensorDType.F16:
                TensorPrimitives.ConvertToSingle(MemoryMarshal.Cast<byte, Half>(source), destination);
                break;
            case TensorDType.BF16:
                var halves = MemoryMarshal.Cast<byte, ushort>(source);
                for (var i = 0; i < halves.Length; i++)
                    destination[i] = BFloat16ToSingle(halves[i]);
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(dtype), dtype, "not a float32-convertible dtype");
        }
    }

    /// <summary>Encodes float32 values as little-endian bytes of <paramref name="dtype"/> (F32, BF16 or F16).</summary>
    public static byte[] Encode(ReadOnlySpan<float> values, TensorDType dtype)
    {
        var bytes = new byte[checked(values.Length * dtype.ElementSize())];
        switch (dtype)
        {
            case TensorDType.F32:
                MemoryMarshal.AsBytes(values).CopyTo(bytes);
                break;
            case TensorDType.F16:
                // Half's conversion rounds to nearest-even, which is what torch's .half() does.
                TensorPrimitives.ConvertToHalf(values, MemoryMarshal.Cast<byte, Half>(bytes.AsSpan()));
                break;
            case TensorDType.BF16:
                for (var i = 0; i < values.Length; i++)
                    BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan(2 * i), SingleToBFloat16(values[i]));
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(dtype), dtype, "only F32, BF16 and F16 can be encoded from float32");
        }
        return bytes;
    }
}
