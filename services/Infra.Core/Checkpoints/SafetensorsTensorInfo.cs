namespace Infra.Core.Checkpoints;

/// <summary>
/// One tensor's header entry. <see cref="Begin"/> and <see cref="End"/> are byte offsets relative to
/// the first byte after the header, as safetensors defines <c>data_offsets</c>.
/// </summary>
public sealed record SafetensorsTensorInfo(string Name, TensorDType DType, long[] Shape, long Begin, long End)
{
    /// <summary>Product of <see cref="Shape"/>; 1 for a scalar (empty shape).</summary>
    public long ElementCount => TensorShape.ElementCount(Shape);

    /// <summary><c>End - Begin</c>.</summary>
    public long ByteLength => End - Begin;

    /// <summary>The shape as "[a, b]".</summary>
    public string ShapeText => TensorShape.Format(Shape);
}
