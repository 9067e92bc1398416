using System.Buffers.Binary;
using System.Runtime.InteropServices;

namespace Infra.Core.Compression;

/// <summary>Encodes fp32 rows to a <see cref="FactorDType"/> and back.</summary>
public static class Quantizer
{
    /// <summary>Bytes per element of <paramref name="dtype"/>.</summary>
    public static int ElementSize(FactorDType dtype) => dtype switch
    {
        FactorDType.Float32 => 4,
        FactorDType.BFloat16 or FactorDType.Float16 => 2,
        FactorDType.Int8 => 1,
        _ => throw new ArgumentOutOfRangeException(nameof(dtype), dtype, "unknown dtype"),
    };

    /// <summary>Quantises a row-major <c>rows x cols</c> fp32 block.</summary>
    public static QuantizedBlock Encode(ReadOnlySpan<float> values, int rows, int cols, FactorDType dtype)
    {
        if ((long)rows * cols != values.Length)
            throw new ArgumentException($"block of {rows} x {cols} needs {(long)rows * cols} values, got {values.Length}");
        var data = new byte[values.Length * ElementSize(dtype)];
        var scales = Array.Empty<float>();
        switch (dtype)
        {
            case FactorDType.Float32:
                MemoryMarshal.AsBytes(values).CopyTo(data);
                break;
            case FactorDType.BFloat16:
                for (var i = 0; i < values.Length; i++)
                    BinaryPrimitives.WriteUInt16LittleEndian(data.AsSpan(2 * i), ToBFloat16(values[i]));
                break;
            case FactorDType.Float16:
                for (var i = 0; i < values.Length; i++)
                    BinaryPrimitives.WriteHalfLittleEndian(data.AsSpan(2 * i), (Half)values[i]);
                break;
            case FactorDType.Int8:
                scales = new float[rows];
                for (var r = 0; r < rows; r++)
                {
                    var row = values.Slice(r * cols, cols);
                    var max = 0f;
                    foreach (var v in row) max = Math.Max(max, Math.Abs(v));
                    var scale = max / 127f;
                    scales[r] = scale;
                    var inv = scale > 0 ? 1f / scale : 0f;
                    for (var c = 0; c < cols; c++)
                        data[r * cols + c] = (byte)(sbyte)Math.Clamp(MathF.Round(row[c] * inv), -127f, 127f);
                }
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(dtype), dtype, "unknown dtype");
        }
        return new QuantizedBlock(rows, cols, dtype, data, scales);
    }

    /// <summary>Decodes a block to fp32, row-major.</summary>
    public static float[] Decode(QuantizedBlock block)
    {
        ArgumentNullException.ThrowIfNull(block);
        var result = new float[checked(block.Rows * block.Cols)];
        DecodeInto(block.Data, block.RowScales, block.Rows, block.Cols, block.DType, result);
        return result;
    }

    /// <summary>
    /// Decodes a row-major <c>rows x cols</c> block straight into <paramref name="destination"/> (its first
    /// <c>rows * cols</c> values): a receiver assembling a matrix from chunks then copies each payload once, not three times.
    /// </summary>
    /// <exception cref="ArgumentException">The bytes or row scales do not match the shape and dtype, or the destination is too short.</exception>
    public static void DecodeInto(ReadOnlySpan<byte> data, ReadOnlySpan<float> rowScales, int rows, int cols, FactorDType dtype, Span<float> destination)
    {
        var n = checked(rows * cols);
        if (data.Length != n * ElementSize(dtype))
            throw new ArgumentException($"{dtype} block of {rows} x {cols} needs {n * ElementSize(dtype)} bytes, got {data.Length}");
        if (destination.Length < n)
            throw new ArgumentException($"block of {rows} x {cols} needs room for {n} values, the destination has {destination.Length}");
        var result = destination[..n];
        switch (dtype)
        {
            case FactorDType.Float32:
                data.CopyTo(MemoryMarshal.AsBytes(result));
                break;
            case FactorDType.BFloat16:
                for (var i = 0; i < n; i++)
                    result[i] = FromBFloat16(BinaryPrimitives.ReadUInt16LittleEndian(data[(2 * i)..]));
                break;
            case FactorDType.Float16:
                for (var i = 0; i < n; i++)
                    result[i] = (float)BinaryPrimitives.ReadHalfLittleEndian(data[(2 * i)..]);
                break;
            case FactorDType.Int8:
                if (rowScales.Length != rows)
                    throw new ArgumentException($"int8 block of {rows} rows needs {rows} row scales, got {rowScales.Length}");
                for (var r = 0; r < rows; r++)
                    for (var c = 0; c < cols; c++)
                        result[r * cols + c] = (sbyte)data[r * cols + c] * rowScales[r];
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(dtype), dtype, "unknown dtype");
        }
    }

    /// <summary>fp32 to bfloat16 bits, round to nearest even; NaN stays NaN.</summary>
    public static ushort ToBFloat16(float value) => Checkpoints.FloatEncoding.SingleToBFloat16(value);

    /// <summary>bfloat16 bits to fp32 (exact).</summary>
    public static float FromBFloat16(ushort bits) => Checkpoints.FloatEncoding.BFloat16ToSingle(bits);
}
