using TorchSharp;
using Infra.Torch.Gradients;
using static TorchSharp.torch;
using Infra.Core.Errors;

namespace Infra.Torch.Ekfac;

/// <summary>
/// Fits full-space EK-FAC (Grosse et al. 2023) in two passes over a fitting corpus.
/// Pass 1 (<see cref="AccumulateCovariance"/>): <c>A = E_tokens[a aᵀ]</c>, <c>S = E_tokens[g gᵀ]</c>
/// accumulated in float64 over every non-padding token, then eigendecomposed (<see cref="FinishCovariance"/>).
/// Pass 2 (<see cref="AccumulateLambda"/>): <c>Λ = E_examples[(U_Sᵀ G U_A)²]</c> with the example
/// gradient <c>G = sum_t g_t a_tᵀ</c>.
/// </summary>
public sealed class EkfacFitter : IDisposable
{
    private readonly IReadOnlyList<TrackedLayer> _layers;
    private readonly Tensor?[] _activationSums;
    private readonly Tensor?[] _gradientSums;
    private readonly Tensor?[] _lambdaSums;

    public EkfacFitter(IReadOnlyList<TrackedLayer> layers)
    {
        _layers = layers ?? throw new ArgumentNullException(nameof(layers));
        _activationSums = new Tensor?[layers.Count];
        _gradientSums = new Tensor?[layers.Count];
        _lambdaSums = new Tensor?[layers.Count];
    }

    /// <summary>Tokens seen by the covariance pass.</summary>
    public long CovarianceTokens { get; private set; }

    /// <summary>Examples seen by the covariance pass.</summary>
    public long CovarianceExamples { get; private set; }

    /// <summary>Examples seen by the eigenvalue-correction pass.</summary>
    public long LambdaExamples { get; private set; }

    /// <summary>Adds a batch's tokens to the covariances.</summary>
    public void AccumulateCovariance(BatchFactors factors)
    {
        ArgumentNullException.ThrowIfNull(factors);
        using var scope = NewDisposeScope();
        var rows = ValidRows(factors);
        for (var l = 0; l < _layers.Count; l++)
        {
            var a = Flatten(factors.Inputs[l], rows).to(ScalarType.Float64);
            var g = Flatten(factors.OutputGradients[l], rows).to(ScalarType.Float64);
            Add(_activationSums, l, a.t().matmul(a));
            Add(_gradientSums, l, g.t().matmul(g));
        }
        CovarianceTokens += factors.Lengths.Sum();
        CovarianceExamples += factors.Examples.Count;
    }

    /// <summary>
    /// Both passes over <paramref name="corpus"/> in batches of <paramref name="batchSize"/>: covariances and their
    /// eigenbases, then the eigenvalue correction. The caller owns (and disposes) the returned set.
    /// </summary>
    public static EkfacFactorSet FitTwoPass(FactorComputer computer, IReadOnlyList<TokenizedExample> corpus, int batchSize = 8)
    {
        ArgumentNullException.ThrowIfNull(computer);
        ArgumentNullException.ThrowIfNull(corpus);
        using var fitter = new EkfacFitter(computer.Layers);
        foreach (var chunk in corpus.Chunk(Math.Max(1, batchSize)))
        {
            using var factors = computer.Run(chunk);
            fitter.AccumulateCovariance(factors);
        }
        var fitted = fitter.FinishCovariance();
        try
        {
            foreach (var chunk in corpus.Chunk(Math.Max(1, batchSize)))
            {
                using var factors = computer.Run(chunk);
                fitter.AccumulateLambda(factors, fitted);
            }
            fitter.FinishLambda(fitted);
            return fitted;
        }
        catch
        {
            fitted.Dispose();
            throw;
        }
    }

    /// <summary>Eigendecomposes the averaged covariances; Λ is left null. The caller owns (and disposes) the returned set.</summary>
    /// <exception cref="InvalidOperationException">No tokens were accumulated.</exception>
    public EkfacFactorSet FinishCovariance()
    {
        if (CovarianceTokens == 0) throw DomainException.FailedPrecondition("no tokens were accumulated for the covariances");
        var result = new List<EkfacLayerFactors>(_layers.Count);
        for (var l = 0; l < _layers.Count; l++)
        {
            using var scope = NewDisposeScope();
            using var tokens = ((double)CovarianceTokens).ToScalar(); // explicit, alive through the calls (see RmsNorm)
            var (alpha, uA) = linalg.eigh(_activationSums[l]!.div(tokens));
            var (sigma, uS) = linalg.eigh(_gradientSums[l]!.div(tokens));
            result.Add(new EkfacLayerFactors(_layers[l].Name,
                uA.cpu().DetachFromDisposeScope(), alpha.cpu().DetachFromDisposeScope(),
                uS.cpu().DetachFromDisposeScope(), sigma.cpu().DetachFromDisposeScope(), null));
        }
        return new EkfacFactorSet(result);
    }

    /// <summary>Adds a batch's example gradients to the eigenvalue correction, in the eigenbases of <paramref name="bases"/>.</summary>
    public void AccumulateLambda(BatchFactors factors, IReadOnlyList<EkfacLayerFactors> bases)
    {
        ArgumentNullException.ThrowIfNull(factors);
        ArgumentNullException.ThrowIfNull(bases);
        using var scope = NewDisposeScope();
        for (var l = 0; l < _layers.Count; l++)
        {
            var device = factors.Inputs[l].device;
            var uA = bases[l].ActivationEigenvectors.to(ScalarType.Float64).to(device);
            var uS = bases[l].GradientEigenvectors.to(ScalarType.Float64).to(device);
            // Padding rows of g are zero, so the product over the padded length is the example's G.
            var aRot = factors.Inputs[l].to(ScalarType.Float64).matmul(uA);
            var gRot = factors.OutputGradients[l].to(ScalarType.Float64).matmul(uS);
            var rotated = gRot.transpose(1, 2).bmm(aRot);
            Add(_lambdaSums, l, rotated.square().sum([0L]));
        }
        LambdaExamples += factors.Examples.Count;
    }

    /// <summary>
    /// Sets Λ from the correction pass on each of <paramref name="bases"/>, which take ownership of it (their owner
    /// stays the one owner of every tensor).
    /// </summary>
    /// <exception cref="InvalidOperationException">No examples were accumulated.</exception>
    public void FinishLambda(IReadOnlyList<EkfacLayerFactors> bases)
    {
        ArgumentNullException.ThrowIfNull(bases);
        if (LambdaExamples == 0) throw DomainException.FailedPrecondition("no examples were accumulated for the eigenvalue correction");
        using var examples = ((double)LambdaExamples).ToScalar(); // explicit, alive through the calls (see RmsNorm)
        for (var l = 0; l < bases.Count; l++)
            bases[l].SetLambda(_lambdaSums[l]!.div(examples).cpu().DetachFromDisposeScope());
    }

    public void Dispose()
    {
        foreach (var t in _activationSums.Concat(_gradientSums).Concat(_lambdaSums))
            t?.Dispose();
    }

    private static void Add(Tensor?[] sums, int layer, Tensor value)
    {
        if (sums[layer] is null)
            sums[layer] = value.clone().DetachFromDisposeScope();
        else
            sums[layer]!.add_(value);
    }

    private static Tensor ValidRows(BatchFactors factors)
    {
        var t = factors.Inputs[0].shape[1];
        var rows = new List<long>();
        for (var b = 0; b < factors.Lengths.Length; b++)
            for (var j = 0; j < factors.Lengths[b]; j++)
                rows.Add(b * t + j);
        return tensor(rows.ToArray()).to(factors.Inputs[0].device);
    }

    private static Tensor Flatten(Tensor x, Tensor rows) => x.reshape(-1, x.shape[2]).index_select(0, rows);
}
