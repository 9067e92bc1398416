using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Infra.Torch.Model;

/// <summary>
/// Shared by all modules of one model: the capture active for the current forward pass, if any.
/// Linear layers run through <see cref="Call"/> so that tracked ones are recorded.
/// </summary>
public sealed class CaptureSlot
{
    /// <summary>The active capture; null outside gradient computation.</summary>
    public LinearCapture? Active { get; set; }

    /// <summary>Runs <paramref name="linear"/> on <paramref name="input"/>, recording it under <paramref name="name"/> when tracked.</summary>
    public Tensor Call(Linear linear, string name, Tensor input)
    {
        ArgumentNullException.ThrowIfNull(linear);
        var output = linear.call(input);
        Active?.Record(name, input, output);
        return output;
    }
}
