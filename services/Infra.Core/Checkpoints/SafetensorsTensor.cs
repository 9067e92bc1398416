namespace Infra.Core.Checkpoints;

/// <summary>A tensor to write: raw little-endian bytes of <paramref name="DType"/> in row-major order.</summary>
public sealed record SafetensorsTensor(string Name, TensorDType DType, long[] Shape, ReadOnlyMemory<byte> Data)
{
    /// <summary>
    /// The data as consecutive pieces, for a tensor over 2 GiB (one span cannot hold it: a float64 18,944² covariance basis
    /// of a 7B model is 2.9 GB). When set, <see cref="Data"/> must be empty. Defaults to null: the data is <see cref="Data"/>.
    /// </summary>
    public IReadOnlyList<ReadOnlyMemory<byte>>? Parts { get; init; }

    /// <summary>The data's length in bytes: <see cref="Data"/>'s, or the sum of <see cref="Parts"/>.</summary>
    public long ByteLength => Parts is null ? Data.Length : Parts.Sum(p => (long)p.Length);

    /// <summary>The data in write order: <see cref="Parts"/>, or <see cref="Data"/> alone.</summary>
    public IEnumerable<ReadOnlyMemory<byte>> Pieces => Parts ?? [Data];

    /// <summary>A tensor whose data is <paramref name="parts"/>, written one after another.</summary>
    public static SafetensorsTensor FromParts(string name, TensorDType dtype, long[] shape, IReadOnlyList<ReadOnlyMemory<byte>> parts) =>
        new(name, dtype, shape, ReadOnlyMemory<byte>.Empty) { Parts = parts ?? throw new ArgumentNullException(nameof(parts)) };

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
