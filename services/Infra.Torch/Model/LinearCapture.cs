using static TorchSharp.torch;

namespace Infra.Torch.Model;

/// <summary>
/// Records, during one forward pass, the input <c>a</c> and output <c>y</c> of every tracked
/// linear layer, so that <c>g = dL/dy</c> can be taken by autograd afterwards. Tensors are kept
/// in the graph (not detached): the outputs are the points the gradient is taken at.
/// </summary>
public sealed class LinearCapture
{
    private readonly Dictionary<string, (Tensor Input, Tensor Output)> _records = new(StringComparer.Ordinal);
    private readonly IReadOnlySet<string> _tracked;

    /// <summary>Captures the layers whose HF names (e.g. "model.layers.0.mlp.up_proj") are in <paramref name="tracked"/>.</summary>
    public LinearCapture(IReadOnlySet<string> tracked) => _tracked = tracked;

    /// <summary>Records one layer's input and output if the layer is tracked.</summary>
    public void Record(string layerName, Tensor input, Tensor output)
    {
        if (_tracked.Contains(layerName))
            _records[layerName] = (input, output);
    }

    /// <summary>The captured (input, output) of a tracked layer.</summary>
    /// <exception cref="InvalidOperationException">The layer was not reached by the forward pass.</exception>
    public (Tensor Input, Tensor Output) Get(string layerName) =>
        _records.TryGetValue(layerName, out var r)
            ? r
            : throw new InvalidOperationException($"layer '{layerName}' was not captured by the forward pass");
}
