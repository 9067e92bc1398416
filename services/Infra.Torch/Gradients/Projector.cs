using Infra.Core.Compression;
using static TorchSharp.torch;

namespace Infra.Torch.Gradients;

/// <summary>
/// The seeded projections of every tracked layer as device tensors (built once), applying
/// <c>â = P_in a</c> and <c>ĝ = P_out g</c>; identity mode passes factors through.
/// </summary>
public sealed class Projector : IDisposable
{
    private readonly Tensor?[] _in;
    private readonly Tensor?[] _out;

    public Projector(IReadOnlyList<TrackedLayer> layers, ProjectionSpec spec, Device device)
    {
        ArgumentNullException.ThrowIfNull(layers);
        ArgumentNullException.ThrowIfNull(spec);
        spec.Validate();
        Spec = spec;
        Dims = layers.Select(l => spec.DimsFor(l.DIn, l.DOut)).ToArray();
        _in = new Tensor?[layers.Count];
        _out = new Tensor?[layers.Count];
        if (spec.Identity) return;
        for (var i = 0; i < layers.Count; i++)
        {
            var (kIn, kOut) = Dims[i];
            _in[i] = tensor(RandomProjection.Create(spec.Seed, layers[i].Name, RandomProjection.Side.Input, kIn, layers[i].DIn),
                [kIn, layers[i].DIn]).to(device).DetachFromDisposeScope();
            _out[i] = tensor(RandomProjection.Create(spec.Seed, layers[i].Name, RandomProjection.Side.Output, kOut, layers[i].DOut),
                [kOut, layers[i].DOut]).to(device).DetachFromDisposeScope();
        }
    }

    /// <summary>The projection.</summary>
    public ProjectionSpec Spec { get; }

    /// <summary>Per layer <c>(k_in, k_out)</c>.</summary>
    public (int KIn, int KOut)[] Dims { get; }

    /// <summary><c>a [..., d_in] -> â [..., k_in]</c>.</summary>
    public Tensor ProjectInput(int layer, Tensor a) => _in[layer] is { } p ? a.matmul(p.t()) : a;

    /// <summary><c>g [..., d_out] -> ĝ [..., k_out]</c>.</summary>
    public Tensor ProjectOutput(int layer, Tensor g) => _out[layer] is { } p ? g.matmul(p.t()) : g;

    /// <summary>A full-space weight gradient <c>[d_out, d_in] -> P_out Q P_in^T [k_out, k_in]</c>.</summary>
    public Tensor ProjectWeightGradient(int layer, Tensor q) => ProjectInput(layer, ProjectOutput(layer, q.t()).t());

    public void Dispose()
    {
        foreach (var t in _in.Concat(_out))
            t?.Dispose();
    }
}
