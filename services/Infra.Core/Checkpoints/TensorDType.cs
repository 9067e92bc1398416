namespace Infra.Core.Checkpoints;

/// <summary>
/// Element types a safetensors file can hold here. The safetensors names are the enum names
/// ("F32", "BF16", ...); see <see cref="TensorDTypes"/> for sizes and parsing.
/// </summary>
public enum TensorDType
{
    /// <summary>IEEE 754 binary32.</summary>
    F32,
    /// <summary>IEEE 754 binary16 (<see cref="Half"/>).</summary>
    F16,
    /// <summary>bfloat16: the upper 16 bits of a binary32.</summary>
    BF16,
    /// <summary>IEEE 754 binary64.</summary>
    F64,
    I64,
    I32,
    I8,
    U8,
    /// <summary>One byte per element, 0 or 1.</summary>
    BOOL,
}
