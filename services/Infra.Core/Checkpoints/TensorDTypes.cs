namespace Infra.Core.Checkpoints;

/// <summary>Element sizes and the safetensors names of <see cref="TensorDType"/>.</summary>
public static class TensorDTypes
{
    /// <summary>Every supported dtype, in declaration order.</summary>
    public static IReadOnlyList<TensorDType> All { get; } = Enum.GetValues<TensorDType>();

    /// <summary>Bytes per element.</summary>
    public static int ElementSize(this TensorDType dtype) => dtype switch
    {
        TensorDType.F64 or TensorDType.I64 => 8,
        TensorDType.F32 or TensorDType.I32 => 4,
        TensorDType.F16 or TensorDType.BF16 => 2,
        TensorDType.I8 or TensorDType.U8 or TensorDType.BOOL => 1,
        _ => throw new ArgumentOutOfRangeException(nameof(dtype), dtype, "unknown dtype"),
    };

    /// <summary>True for the dtypes that convert to float32 (F32, F16, BF16).</summary>
    public static bool IsFloat32Convertible(this TensorDType dtype) =>
        dtype is TensorDType.F32 or TensorDType.F16 or TensorDType.BF16;

    /// <summary>The name safetensors headers use, e.g. "BF16".</summary>
    public static string ToSafetensorsName(this TensorDType dtype) => dtype switch
    {
        TensorDType.F32 => "F32",
        TensorDType.F16 => "F16",
        TensorDType.BF16 => "BF16",
        TensorDType.F64 => "F64",
        TensorDType.I64 => "I64",
        TensorDType.I32 => "I32",
        TensorDType.I8 => "I8",
        TensorDType.U8 => "U8",
        TensorDType.BOOL => "BOOL",
        _ => throw new ArgumentOutOfRangeException(nameof(dtype), dtype, "unknown dtype"),
    };

    /// <summary>Parses a safetensors dtype name (case-sensitive, as the format defines them).</summary>
    public static bool TryParse(string name, out TensorDType dtype)
    {
        foreach (var candidate in All)
        {
            if (candidate.ToSafetensorsName() == name)
            {
                dtype = candidate;
                return true;
            }
        }
        dtype = default;
        return false;
    }

    /// <summary>"F32, F16, BF16, ..." for error messages.</summary>
    public static string SupportedNames => string.Join(", ", All.Select(d => d.ToSafetensorsName()));

    /// <summary>The HF <c>torch_dtype</c> string of a float dtype ("float32", "bfloat16", "float16").</summary>
    public static string ToTorchDtype(this TensorDType dtype) => dtype switch
    {
        TensorDType.F32 => "float32",
        TensorDType.BF16 => "bfloat16",
        TensorDType.F16 => "float16",
        _ => throw new ArgumentOutOfRangeException(nameof(dtype), dtype, "only F32, BF16 and F16 have a torch_dtype here"),
    };
}
