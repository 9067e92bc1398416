namespace Infra.Core.Checkpoints;

/// <summary>A tensor to write: raw little-endian bytes of <paramref name="DType"/> in row-major order.</summary>
public sealed record SafetensorsTensor(string Name, TensorDType DType, long[] Shape, ReadOnlyMemory<byte> Data)
{
    /// <summary>
    /// Encodes float32 values as <paramref name="dtype"/>: F32 (exact), BF16 or F16 (both round to
    /// nearest, ties to even). Defaults to F32.
    /// </summary>
    /// <exception cref="ArgumentException">The shape's element count differs from <paramref name="values"/>' length, or dtype is not F32/BF16/F16.</exception>
    public static SafetensorsTensor FromFloat32(string name, long[] shape, ReadOnlySpan<float> values, TensorDType dtype = TensorDType.F32)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(shape);
        if (!dtype.IsFloat32Convertible())
            throw new ArgumentException($"tensor '{name}': cannot encode float32 values as {dtype.ToSafetensorsName()} (F32, BF16 or F16)", nameof(dtype));
        var count = TensorShape.ElementCount(shape);
        if (count != values.Length)
            throw new ArgumentException($"tensor '{name}': shape {TensorShape.Format(shape)} has {count} elements but {values.Length} values were given", nameof(values));
        return new SafetensorsTensor(name, dtype, (long[])shape.Clone(), FloatEncoding.Encode(values, dtype));
    }
}
