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
        using var factors = _computer.Run(prepared, truncated);
        return Project(factors);
    }

    /// <summary>Projects already computed factors.</summary>
    public IReadOnlyList<ExampleFactors> Project(BatchFactors factors)
    {
        ArgumentNullException.ThrowIfNull(factors);
        using var scope = NewDisposeScope();
        var b = factors.Examples.Count;
        var perLayer = new (float[][]? A, float[][]? G, float[][]? E)[_computer.Layers.Count];
        for (var l = 0; l < perLayer.Length; l++)
        {
            var a = _projector.ProjectInput(l, factors.Inputs[l]);
            var g = _projector.ProjectOutput(l, factors.OutputGradients[l]);
            perLayer[l] = (
                IncludeTokenFactors ? Split(a, factors.Lengths) : null,
                IncludeTokenFactors ? Split(g, factors.Lengths) : null,
                // Padding rows of g are exactly zero, so the batched product over T equals the sum over the example's tokens.
                IncludeExampleGradient ? Split(g.transpose(1, 2).bmm(a), null) : null);
        }
        var losses = Split(factors.TokenLosses, factors.Lengths);
        var results = new ExampleFactors[b];
        for (var i = 0; i < b; i++)
        {
            var example = factors.Examples[i];
            var tokenLosses = losses[i];
            var layers = new LayerFactors[perLayer.Length];
            for (var l = 0; l < layers.Length; l++)
            {
                var (kIn, kOut) = _projector.Dims[l];
                layers[l] = new LayerFactors(l, kIn, kOut, perLayer[l].A?[i], perLayer[l].G?[i], perLayer[l].E?[i]);
            }
            var lossTokens = example.LossMask.Skip(1).Count(m => m != 0);
            results[i] = new ExampleFactors(example, factors.Truncated[i], tokenLosses, tokenLosses.Sum(), lossTokens, layers);
        }
        return results;
    }

    // [B, T, k] -> per example [len_b * k] (lengths null: the whole [B, ...] slice). One copy of the
    // batch to the host arrays: per-example tensor views would each cost a dispatch.
    private static float[][] Split(Tensor batched, int[]? lengths) => HostCopy.ToFloatArrays(batched, lengths);
}
