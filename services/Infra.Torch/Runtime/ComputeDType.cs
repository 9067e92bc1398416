using TorchSharp;

namespace Infra.Torch.Runtime;

/// <summary>Dtype the model computes in. fp16 is refused on CPU: libtorch's fp16 CPU matmul is ~400x slower.</summary>
public static class ComputeDType
{
    /// <summary>Parses "float32"/"fp32" or "bfloat16"/"bf16"; "float16" only on CUDA.</summary>
    /// <exception cref="ArgumentException">Unknown name, or fp16 on a CPU device.</exception>
    public static torch.ScalarType Parse(string text, torch.Device device)
    {
        ArgumentNullException.ThrowIfNull(device);
        return text?.Trim().ToUpperInvariant() switch
        {
            "FLOAT32" or "FP32" or "" or null => torch.ScalarType.Float32,
            "BFLOAT16" or "BF16" => torch.ScalarType.BFloat16,
            "FLOAT16" or "FP16" when device.type == DeviceType.CUDA => torch.ScalarType.Float16,
            "FLOAT16" or "FP16" => throw new ArgumentException(
                "compute dtype float16 is not supported on the CPU (libtorch's fp16 CPU kernels are ~400x slower); use float32 or bfloat16"),
            _ => throw new ArgumentException($"unknown compute dtype '{text}': use float32 or bfloat16"),
        };
    }

    /// <summary>"float32", "bfloat16" or "float16".</summary>
    public static string Name(torch.ScalarType type) => type switch
    {
        torch.ScalarType.Float32 => "float32",
        torch.ScalarType.BFloat16 => "bfloat16",
        torch.ScalarType.Float16 => "float16",
        _ => type.ToString(),
    };
}
