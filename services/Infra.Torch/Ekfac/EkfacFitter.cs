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
/// Layers that read the same input (<see cref="EkfacInputSites"/>: gate_proj and up_proj) share one <c>A</c>: it is
/// accumulated and eigendecomposed once, and each layer's factors hold their own handle on the same <c>U_A</c> storage.
/// </summary>
public sealed class EkfacFitter : IDisposable
{
    private readonly IReadOnlyList<TrackedLayer> _layers;
    private readonly Tensor?[] _activationSums;
    private readonly Tensor?[] _gradientSums;
    private readonly Tensor?[] _lambdaSums;
    // For each layer, the index of the layer that owns its activation covariance (itself unless it shares an input).
    private readonly int[] _activationOwner;

    /// <summary>A fitter for <paramref name="layers"/> (all tracked layers, or one group of them), in the order the batches list them.</summary>
    public EkfacFitter(IReadOnlyList<TrackedLayer> layers)
    {
        _layers = layers ?? throw new ArgumentNullException(nameof(layers));
        var owners = EkfacInputSites.Owners(layers.Select(l => l.Name));
        var index = layers.Select((l, i) => (l.Name, i)).ToDictionary(p => p.Name, p => p.i, StringComparer.Ordinal);
        _activationOwner = layers.Select((l, i) => owners.TryGetValue(l.Name, out var owner) ? index[owner] : i).ToArray();
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
            if (_activationOwner[l] == l)
            {
                var a = Flatten(factors.Inputs[l], rows).to(ScalarType.Float64);
                Add(_activationSums, l, a.t().matmul(a));
            }
            var g = Flatten(factors.OutputGradients[l], rows).to(ScalarType.Float64);
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

    /// <summary>
    /// Eigendecomposes the averaged covariances; Λ is left null. The caller owns (and disposes) the returned set. Each
    /// covariance sum is freed as soon as its eigenbasis exists (the sums are averaged in place), so the peak is the
    /// remaining sums plus the bases plus one eigendecomposition's workspace, and the covariances cannot be finished twice.
    /// </summary>
    /// <exception cref="InvalidOperationException">No tokens were accumulated, or the covariances were already finished.</exception>
    public EkfacFactorSet FinishCovariance()
    {
        if (CovarianceTokens == 0) throw DomainException.FailedPrecondition("no tokens were accumulated for the covariances");
        if (_gradientSums.Any(s => s is null)) throw DomainException.FailedPrecondition("the covariances were already finished");
        var result = new List<EkfacLayerFactors>(_layers.Count);
        var bases = new (Tensor U, Tensor Values)[_layers.Count];
        try
        {
            for (var l = 0; l < _layers.Count; l++)
            {
                var owner = _activationOwner[l];
                var (uA, alpha) = owner == l
                    ? bases[l] = Eigen(ref _activationSums[l])
                    // Another handle on the owner's storage: the bytes exist once, each layer frees its own handle.
                    : (bases[owner].U.alias(), bases[owner].Values.alias());
                var (uS, sigma) = Eigen(ref _gradientSums[l]);
                result.Add(new EkfacLayerFactors(_layers[l].Name, uA, alpha, uS, sigma, null));
            }
            return new EkfacFactorSet(result);
        }
        catch
        {
            foreach (var f in result) f.Dispose();
            throw;
        }
    }

    // eigh of sum / tokens, averaging in place and freeing the sum first: at 8960² a copy is 640 MB.
    private (Tensor Vectors, Tensor Values) Eigen(ref Tensor? sum)
    {
        using var scope = NewDisposeScope();
        using var tokens = ((double)CovarianceTokens).ToScalar(); // explicit, alive through the calls (see RmsNorm)
        var covariance = sum!;
        sum = null;
        covariance.div_(tokens);
        var (values, vectors) = linalg.eigh(covariance);
        covariance.Dispose();
        // LAPACK hands the eigenvectors back column-major; made row-major once here (the workspace is free again), a
        // save or a load never needs a second copy of the basis.
        var rowMajor = vectors.contiguous();
        return (rowMajor.DetachFromDisposeScope(), values.DetachFromDisposeScope());
    }

    /// <summary>Adds a batch's example gradients to the eigenvalue correction, in the eigenbases of <paramref name="bases"/>.</summary>
    public void AccumulateLambda(BatchFactors factors, IReadOnlyList<EkfacLayerFactors> bases)
    {
        ArgumentNullException.ThrowIfNull(factors);
        ArgumentNullException.ThrowIfNull(bases);
        if (bases.Count != _layers.Count) throw new ArgumentException($"bases cover {bases.Count} layers, the fitter {_layers.Count}", nameof(bases));
        using var scope = NewDisposeScope();
        var rotatedInputs = new Tensor?[_layers.Count];
        for (var l = 0; l < _layers.Count; l++)
        {
            var device = factors.Inputs[l].device;
            var uS = bases[l].GradientEigenvectors.to(ScalarType.Float64).to(device);
            // Padding rows of g are zero, so the product over the padded length is the example's G. Layers sharing an
            // input share a_t U_A too (the owner comes first).
            var owner = _activationOwner[l];
            var aRot = rotatedInputs[owner] ??= factors.Inputs[l].to(ScalarType.Float64).matmul(bases[l].ActivationEigenvectors.to(ScalarType.Float64).to(device));
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
