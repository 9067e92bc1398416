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
        var n = checked(block.Rows * block.Cols);
        if (block.Data.Length != n * ElementSize(block.DType))
            throw new ArgumentException($"{block.DType} block of {block.Rows} x {block.Cols} needs {n * ElementSize(block.DType)} bytes, got {block.Data.Length}");
        var result = new float[n];
        switch (block.DType)
        {
            case FactorDType.Float32:
                block.Data.AsSpan().CopyTo(MemoryMarshal.AsBytes(result.AsSpan()));
                break;
            case FactorDType.BFloat16:
                for (var i = 0; i < n; i++)
                    result[i] = FromBFloat16(BinaryPrimitives.ReadUInt16LittleEndian(block.Data.AsSpan(2 * i)));
                break;
            case FactorDType.Float16:
                for (var i = 0; i < n; i++)
                    result[i] = (float)BinaryPrimitives.ReadHalfLittleEndian(block.Data.AsSpan(2 * i));
                break;
            case FactorDType.Int8:
                if (block.RowScales.Length != block.Rows)
                    throw new ArgumentException($"int8 block of {block.Rows} rows needs {block.Rows} row scales, got {block.RowScales.Length}");
                for (var r = 0; r < block.Rows; r++)
                    for (var c = 0; c < block.Cols; c++)
                        result[r * block.Cols + c] = (sbyte)block.Data[r * block.Cols + c] * block.RowScales[r];
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(block), block.DType, "unknown dtype");
        }
        return result;
    }

    /// <summary>fp32 to bfloat16 bits, round to nearest even; NaN stays NaN.</summary>
    public static ushort ToBFloat16(float value) => Checkpoints.FloatEncoding.SingleToBFloat16(value);

    /// <summary>bfloat16 bits to fp32 (exact).</summary>
    public static float FromBFloat16(ushort bits) => Checkpoints.FloatEncoding.BFloat16ToSingle(bits);
}
