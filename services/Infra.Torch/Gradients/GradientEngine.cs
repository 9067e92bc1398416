using static TorchSharp.torch;

namespace Infra.Torch.Gradients;

/// <summary>
/// Per-example compressed gradients: runs <see cref="FactorComputer"/> on a batch, projects the
/// factors with <see cref="Projector"/>, forms <c>Ĝ = sum_t ĝ_t â_t^T</c> when asked, and copies
/// the results to host memory.
/// </summary>
public sealed class GradientEngine
{
    private readonly FactorComputer _computer;
    private readonly Projector _projector;

    public GradientEngine(FactorComputer computer, Projector projector)
    {
        _computer = computer ?? throw new ArgumentNullException(nameof(computer));
        _projector = projector ?? throw new ArgumentNullException(nameof(projector));
    }

    /// <summary>Per-token factors <c>â_t</c>, <c>ĝ_t</c>. Defaults to true.</summary>
    public bool IncludeTokenFactors { get; init; } = true;

    /// <summary>Per-example gradient <c>Ĝ</c>. Defaults to true.</summary>
    public bool IncludeExampleGradient { get; init; } = true;

    /// <summary>Prepares (validates, truncates) and computes a batch.</summary>
    /// <exception cref="InvalidExampleException">The first invalid example, by name.</exception>
    public IReadOnlyList<ExampleFactors> Compute(IReadOnlyList<TokenizedExample> batch, bool truncate = false)
    {
        ArgumentNullException.ThrowIfNull(batch);
        var truncated = new bool[batch.Count];
        var prepared = batch.Select((e, i) => _computer.Prepare(e, truncate, out truncated[i])).ToList();
        if (_computer.RecomputesLayerwise(prepared))
            return ComputeLayerwise(prepared, truncated);
        using var factors = _computer.Run(prepared, truncated);
        return Project(factors);
    }

    // A batch whose whole graph would not fit: each layer's factors are projected (and copied to the host) as the
    // sweep forms them, so neither the graph nor the full-space factors of more than one layer are alive at once.
    private ExampleFactors[] ComputeLayerwise(IReadOnlyList<TokenizedExample> prepared, bool[] truncated)
    {
        var lengths = prepared.Select(e => e.Ids.Length).ToArray();
        var perLayer = new (float[][]? A, float[][]? G, float[][]? E)[_computer.Layers.Count];
        using var copy = new DeferredHostCopy(PinnedStaging.Shared);
        using var tokenLosses = _computer.Sweep(prepared, (l, a, g) =>
        {
            using var scope = NewDisposeScope();
            ProjectLayer(l, a, g, lengths, copy, perLayer);
        });
        copy.Flush();
        return Assemble(prepared, truncated, tokenLosses, lengths, perLayer);
    }

    /// <summary>Projects already computed factors.</summary>
    public IReadOnlyList<ExampleFactors> Project(BatchFactors factors)
    {
        ArgumentNullException.ThrowIfNull(factors);
        using var scope = NewDisposeScope();
        var perLayer = new (float[][]? A, float[][]? G, float[][]? E)[_computer.Layers.Count];
        using var copy = new DeferredHostCopy(PinnedStaging.Shared);
        for (var l = 0; l < perLayer.Length; l++)
            ProjectLayer(l, factors.Inputs[l], factors.OutputGradients[l], factors.Lengths, copy, perLayer);
        copy.Flush();
        return Assemble(factors.Examples, factors.Truncated, factors.TokenLosses, factors.Lengths, perLayer);
    }

    // One tracked layer: projected token factors split per example, and Ĝ = Σ_t ĝ_t â_tᵀ, copied into perLayer[l] on the
    // host (at once on the CPU, at the copy's flush on a GPU).
    private void ProjectLayer(int l, Tensor input, Tensor outputGradient, int[] lengths, DeferredHostCopy copy,
        (float[][]? A, float[][]? G, float[][]? E)[] perLayer)
    {
        var a = _projector.ProjectInput(l, input);
        var g = _projector.ProjectOutput(l, outputGradient);
        if (IncludeTokenFactors)
        {
            copy.Add(a, lengths, values => perLayer[l].A = values);
            copy.Add(g, lengths, values => perLayer[l].G = values);
        }
        // Padding rows of g are exactly zero, so the batched product over T equals the sum over the example's tokens.
        if (IncludeExampleGradient) copy.Add(g.transpose(1, 2).bmm(a), null, values => perLayer[l].E = values);
    }

    private ExampleFactors[] Assemble(IReadOnlyList<TokenizedExample> examples, bool[] truncated, Tensor tokenLosses, int[] lengths,
        (float[][]? A, float[][]? G, float[][]? E)[] perLayer)
    {
        var b = examples.Count;
        var losses = Split(tokenLosses, lengths);
        var results = new ExampleFactors[b];
        for (var i = 0; i < b; i++)
        {
            var example = examples[i];
            var exampleLosses = losses[i];
            var layers = new LayerFactors[perLayer.Length];
            for (var l = 0; l < layers.Length; l++)
            {
                var (kIn, kOut) = _projector.Dims[l];
                layers[l] = new LayerFactors(l, kIn, kOut, perLayer[l].A?[i], perLayer[l].G?[i], perLayer[l].E?[i]);
            }
            var lossTokens = example.LossMask.Skip(1).Count(m => m != 0);
            results[i] = new ExampleFactors(example, truncated[i], exampleLosses, exampleLosses.Sum(), lossTokens, layers);
        }
        return results;
    }

    // [B, T, k] -> per example [len_b * k] (lengths null: the whole [B, ...] slice). One copy of the
    // batch to the host arrays: per-example tensor views would each cost a dispatch.
    private static float[][] Split(Tensor batched, int[]? lengths) => HostCopy.ToFloatArrays(batched, lengths);
}
