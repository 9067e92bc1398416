using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Infra.Torch.Training;

/// <summary>Global-norm gradient clipping, as PyTorch's <c>clip_grad_norm_</c>.</summary>
public static class GradientClipping
{
    /// <summary>
    /// The 2-norm of all gradients together; when above <paramref name="maxNorm"/> every gradient is scaled by
    /// <c>maxNorm / (norm + 1e-6)</c>. Null or 0 only measures.
    /// </summary>
    public static double ClipGlobalNorm(IEnumerable<Parameter> parameters, double? maxNorm)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        using var noGrad = no_grad();
        using var scope = NewDisposeScope();
        var grads = parameters.Select(p => p.grad).OfType<Tensor>().ToList();
        if (grads.Count == 0) return 0;
        var norm = stack(grads.Select(g => g.to_type(ScalarType.Float32).norm()).ToArray()).norm().item<float>();
        if (maxNorm is > 0 && norm + 1e-6 > maxNorm.Value)
        {
            using var scale = (maxNorm.Value / (norm + 1e-6)).ToScalar(); // explicit, alive through the loop (see RmsNorm)
            foreach (var g in grads) g.mul_(scale);
        }
        return norm;
    }
}
