using TorchSharp;

namespace Infra.Torch.Runtime;

/// <summary>Resolves a <see cref="DeviceChoice"/> to a libtorch device.</summary>
public static class TorchDevices
{
    /// <summary>Parses "cpu", "cuda" or "auto" (case-insensitive).</summary>
    /// <exception cref="ArgumentException">Any other text, naming the accepted values.</exception>
    public static DeviceChoice Parse(string text) => text?.Trim().ToUpperInvariant() switch
    {
        "CPU" => DeviceChoice.Cpu,
        "CUDA" or "GPU" => DeviceChoice.Cuda,
        "AUTO" or "" or null => DeviceChoice.Auto,
        _ => throw new ArgumentException($"unknown device '{text}': use cpu, cuda or auto"),
    };

    /// <summary>The device for <paramref name="choice"/>.</summary>
    /// <exception cref="InvalidOperationException">CUDA was asked for and is not available; the message says why.</exception>
    public static torch.Device Resolve(DeviceChoice choice)
    {
        var cuda = torch.cuda.is_available();
        return choice switch
        {
            DeviceChoice.Cpu => torch.CPU,
            DeviceChoice.Auto => cuda ? torch.CUDA : torch.CPU,
            DeviceChoice.Cuda when cuda => torch.CUDA,
            DeviceChoice.Cuda => throw new InvalidOperationException(
                "device 'cuda' was requested but CUDA is not available: this process either runs the CPU build " +
                "of libtorch (rebuild with -p:InfraTorchBackend=cuda on a GPU node, see README 'GPU nodes') or sees " +
                "no CUDA device (check the driver and CUDA_VISIBLE_DEVICES). Use --device cpu or auto to run on the CPU."),
            _ => throw new ArgumentOutOfRangeException(nameof(choice), choice, null),
        };
    }
}
