namespace Infra.Torch.Runtime;

/// <summary>Where the model runs.</summary>
public enum DeviceChoice
{
    /// <summary>CUDA when this build has it and a device is visible, else CPU. The default.</summary>
    Auto,
    /// <summary>The CPU.</summary>
    Cpu,
    /// <summary>The first CUDA device; an error when none is available.</summary>
    Cuda,
}
