using Infra.Core.Compression;
using Infra.Core.Preconditioning;
using Infra.Core.Scoring;
using Infra.Core.Store;
using Infra.Torch.Ekfac;
using Infra.Torch.Gradients;
using Infra.Torch.Model;
using static TorchSharp.torch;

namespace Infra.Validation.Influence;

/// <summary>
/// Influence scores of training examples on queries by every method, through the code the services run:
/// <see cref="GradientEngine"/> (projected gradients and token factors) into a real fp32
/// <see cref="GradientStore"/>, <see cref="PreconditionerFitter"/> for the projected preconditioners,
/// <see cref="QueryGradientEngine"/> for <c>Q̂ = P_out ∇(−f) P_inᵀ</c> (with full-space EK-FAC from
/// <see cref="EkfacFitter"/> for <see cref="InfluenceMethod.EkfacFullSpace"/>), and the SIMD
/// <see cref="ExampleScorer"/>. Damping is the fitters' default, <c>0.1 x mean(Λ)</c> per layer.
/// </summary>
/// <param name="model">The model the scores are for (eval mode, CPU).</param>
/// <param name="layers">Tracked layers.</param>
/// <param name="modelFingerprint">Names the model in the store's schema.</param>
/// <param name="batchSize">Examples per forward/backward. Defaults to 8.</param>
public sealed class InfluenceEstimator(Qwen2ForCausalLM model, IReadOnlyList<TrackedLayer> layers, string modelFingerprint, int batchSize = 8)
{
    /// <summary>Every method except <see cref="InfluenceMethod.EkfacFullSpace"/> is fitted on the store.</summary>
    public static IReadOnlyList<InfluenceMethod> AllMethods { get; } = Enum.GetValues<InfluenceMethod>();

    /// <summary>Fits full-space EK-FAC (covariance pass, then eigenvalue correction) on <paramref name="training"/>; the caller owns (and disposes) the set.</summary>
    public EkfacFactorSet FitFullSpaceEkfac(IReadOnlyList<TokenizedExample> training)
    {
        ArgumentNullException.ThrowIfNull(training);
        return EkfacFitter.FitTwoPass(new FactorComputer(model, layers), training, batchSize);
    }

    /// <summary>
    /// Scores under <paramref name="projection"/> by every method in <paramref name="methods"/>, indexing
    /// <paramref name="training"/> into a store at <paramref name="storeFolder"/> (created; an existing store of
    /// the same examples is reused).
    /// </summary>
    /// <param name="training">Training examples (loss scale 1).</param>
    /// <param name="queries">Queries: prompt + correct answer, the loss mask on the answer.</param>
    /// <param name="projection">The projection; <see cref="ProjectionSpec.Exact"/> for the full space.</param>
    /// <param name="storeFolder">Where the fp32 store with token factors is written.</param>
    /// <param name="methods">The methods to score with.</param>
    /// <param name="fullSpace">Full-space EK-FAC factors, needed for <see cref="InfluenceMethod.EkfacFullSpace"/>.</param>
    public InfluenceScores Score(IReadOnlyList<TokenizedExample> training, IReadOnlyList<TokenizedExample> queries, ProjectionSpec projection,
        string storeFolder, IReadOnlyList<InfluenceMethod> methods, IReadOnlyList<EkfacLayerFactors>? fullSpace = null)
    {
        ArgumentNullException.ThrowIfNull(training);
        ArgumentNullException.ThrowIfNull(queries);
        ArgumentNullException.ThrowIfNull(projection);
        ArgumentNullException.ThrowIfNull(methods);
        if (methods.Contains(InfluenceMethod.EkfacFullSpace) && fullSpace is null)
            throw new ArgumentException("the full-space EK-FAC method needs fitted full-space factors", nameof(fullSpace));
        var computer = new FactorComputer(model, layers);
        using var projector = new Projector(layers, projection, model.Device);
        using var store = Index(computer, projector, training, projection, storeFolder);

        var queryEngine = new QueryGradientEngine(computer, projector);
        var plain = queryEngine.Compute(queries, MeasurementReduction.Mean, aggregate: false, batchSize: batchSize);
        var scores = new Dictionary<InfluenceMethod, double[][]>();
        foreach (var method in methods)
        {
            IReadOnlyList<IReadOnlyList<float[]>> preconditioned;
            if (method == InfluenceMethod.EkfacFullSpace)
            {
                preconditioned = queryEngine.Compute(queries, MeasurementReduction.Mean, aggregate: false, factors: fullSpace, batchSize: batchSize)
                    .Select(q => q.Layers).ToList();
            }
            else
            {
                var fitted = PreconditionerFitter.Fit(store, method.ToString(), Kind(method));
                preconditioned = plain.Select(q => fitted.Precondition(q.Layers)).ToList();
            }
            scores[method] = ScoreAll(store, training, preconditioned);
        }
        var label = projection.Identity ? "full" : $"k={projection.KIn}";
        return new InfluenceScores(label, training.Select(e => e.Id).ToList(), queries.Select(q => q.Id).ToList(),
            plain.Select(q => (double)q.Measurement).ToList(), scores);
    }

    private GradientStore Index(FactorComputer computer, Projector projector, IReadOnlyList<TokenizedExample> training, ProjectionSpec projection, string folder)
    {
        var schema = new StoreSchema
        {
            ModelFingerprint = modelFingerprint,
            Layers = layers.Select((l, i) => new StoreLayer(l.Name, l.DIn, l.DOut, projector.Dims[i].KIn, projector.Dims[i].KOut)).ToList(),
            ProjectionIdentity = projection.Identity,
            ProjectionSeed = projection.Seed,
            // fp32: the validation measures the Hessian approximations and the projection, not quantisation.
            DType = FactorDType.Float32,
            TokenFactors = true,
        };
        var store = GradientStore.OpenOrCreate(folder, schema);
        try
        {
            var engine = new GradientEngine(computer, projector);
            foreach (var chunk in training.Where(e => !store.Contains(e.Id)).Chunk(batchSize))
            {
                foreach (var f in engine.Compute(chunk))
                {
                    store.Add(new StoreExample
                    {
                        Id = f.Example.Id,
                        TokenIds = f.Example.Ids,
                        LossMask = f.Example.LossMask,
                        TokenLosses = f.TokenLosses,
                        Loss = f.Loss,
                        ExampleGradients = f.Layers.Select(l => l.ExampleGradient!).ToList(),
                        TokenInputs = f.Layers.Select(l => l.Inputs!).ToList(),
                        TokenOutputGradients = f.Layers.Select(l => l.OutputGradients!).ToList(),
                    });
                }
            }
            store.Flush();
            return store;
        }
        catch
        {
            store.Dispose();
            throw;
        }
    }

    // Every stored example's raw score on every query, in the order of `training`.
    private static double[][] ScoreAll(GradientStore store, IReadOnlyList<TokenizedExample> training, IReadOnlyList<IReadOnlyList<float[]>> queries)
    {
        var position = training.Select((e, i) => (e.Id, i)).ToDictionary(x => x.Id, x => x.i, StringComparer.Ordinal);
        var m = queries.Count;
        var result = Enumerable.Range(0, m).Select(_ => new double[training.Count]).ToArray();
        var ids = Enumerable.Range(0, m).Select(q => q.ToString(System.Globalization.CultureInfo.InvariantCulture)).ToList();
        new ExampleScorer(store).Score(queries, ids, 0, ScoreFilter.All, dump: shard =>
        {
            for (var row = 0; row < shard.Shard.Count; row++)
            {
                if (!position.TryGetValue(shard.Shard.Metadata.Ids[row], out var n)) continue;
                for (var q = 0; q < m; q++) result[q][n] = shard.Raw[row * m + q];
            }
        });
        return result;
    }

    private static PreconditionerKind Kind(InfluenceMethod method) => method switch
    {
        InfluenceMethod.Identity => PreconditionerKind.Identity,
        InfluenceMethod.Diagonal => PreconditionerKind.Diagonal,
        InfluenceMethod.Kfac => PreconditionerKind.Kfac,
        InfluenceMethod.Ekfac => PreconditionerKind.Ekfac,
        _ => throw new ArgumentOutOfRangeException(nameof(method), method, "not a store-fitted method"),
    };
}
