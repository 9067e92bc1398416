using Infra.Core.Checkpoints;
using Infra.Core.Compression;
using Infra.Core.Text;
using Infra.Torch.Ekfac;
using Infra.Torch.Gradients;
using Infra.Torch.Model;
using static TorchSharp.torch;

namespace Infra.Torch.Tests.Ekfac;

/// <summary>
/// The memory-bounded fit (groups of layers, a replayed spool, one file per group) against the all-at-once fit held in
/// memory; old single-file stores; float32 storage; the shared gate/up activation basis; the spool's lifetime.
/// </summary>
public sealed class EkfacLayerByLayerTests : IDisposable
{
    private const string Fingerprint = "fingerprint-of-the-tiny-model";
    private static readonly int Vocab = TestModels.Qwen2Tiny.VocabSize;
    private readonly string _root = Directory.CreateTempSubdirectory("infra-ekfac-").FullName;
    private readonly Qwen2ForCausalLM _model = TestModels.Create(TestModels.Qwen2Tiny, seed: 11);
    private readonly IReadOnlyList<TrackedLayer> _layers;
    private readonly FactorComputer _computer;
    private readonly List<TokenizedExample> _corpus;
    private readonly List<TokenizedExample> _queries;

    public EkfacLayerByLayerTests()
    {
        _layers = new LayerSelection().Select(_model); // gate, up, down of both decoder layers
        _computer = new FactorComputer(_model, _layers);
        _corpus = Enumerable.Range(0, 7).Select(i => TestModels.Example($"e{i}", 5 + 2 * i, 2 + i % 3, Vocab, 300 + i)).ToList();
        _queries = Enumerable.Range(0, 2).Select(i => TestModels.Example($"q{i}", 9 + i, 3, Vocab, 400 + i)).ToList();
    }

    private string SpoolFolder => Path.Combine(_root, "spool");

    [Fact]
    public void Default_groups_are_one_decoder_layer_and_a_budget_splits_further_keeping_gate_and_up_together()
    {
        var byLayer = EkfacLayerGroups.Plan(_layers, null);
        Assert.Equal([["model.layers.0.mlp.gate_proj", "model.layers.0.mlp.up_proj", "model.layers.0.mlp.down_proj"],
            ["model.layers.1.mlp.gate_proj", "model.layers.1.mlp.up_proj", "model.layers.1.mlp.down_proj"]],
            byLayer.Select(g => g.Select(l => l.Name).ToArray()).ToArray());
        var tiny = EkfacLayerGroups.Plan(_layers, 1);
        Assert.Equal(4, tiny.Count);
        Assert.Equal(["model.layers.0.mlp.gate_proj", "model.layers.0.mlp.up_proj"], tiny[0].Select(l => l.Name));
        // Hidden 32, intermediate 48: the shared A (32² + 32) once, then per layer U_S, σ and Λ.
        Assert.Equal(8L * ((32 * 32 + 32) + 2 * (48 * 48 + 48 + 48 * 32)), EkfacLayerGroups.FactorBytes(tiny[0]));
    }

    [Fact]
    public void Layer_by_layer_fit_equals_the_all_at_once_fit()
    {
        using var reference = EkfacFitter.FitTwoPass(_computer, _corpus, batchSize: 3);
        var options = new EkfacFitOptions { GroupBudgetBytes = 1, SpoolFolder = SpoolFolder }; // every unit its own group: 4
        var store = new EkfacFactorStore(_root);
        var manifest = FitBothPhases(store, "grouped", options);

        Assert.Equal(4, manifest.Files!.Count);
        using var loaded = store.Load("grouped", Fingerprint, Names).Factors;
        for (var l = 0; l < _layers.Count; l++)
        {
            var (expected, actual) = (reference[l], loaded[l]);
            Assert.True(RelativeError(actual.ActivationEigenvalues, expected.ActivationEigenvalues) <= 1e-10);
            Assert.True(RelativeError(actual.GradientEigenvalues, expected.GradientEigenvalues) <= 1e-10);
            Assert.True(SignAlignedError(actual.ActivationEigenvectors, expected.ActivationEigenvectors) <= 1e-8);
            Assert.True(SignAlignedError(actual.GradientEigenvectors, expected.GradientEigenvectors) <= 1e-8);
            Assert.True(RelativeError(actual.Lambda!, expected.Lambda!) <= 1e-10, $"Λ of {expected.LayerName}");
        }
        using var streamed = store.OpenStreamed("grouped", Fingerprint, Names);
        AssertPreconditionedClose(reference, streamed, 1e-10);
        Assert.True(streamed.Reads >= _layers.Count); // read layer by layer, never all at once
    }

    [Fact]
    public void A_format_2_single_file_store_still_loads_and_preconditions_identically()
    {
        using var reference = EkfacFitter.FitTwoPass(_computer, _corpus, batchSize: 3);
        var folder = Path.Combine(_root, "old");
        Directory.CreateDirectory(folder);
        // Exactly what format 2 wrote: every layer (gate and up each with their own A) in factors.safetensors, float64.
        var tensors = new List<SafetensorsTensor>();
        foreach (var f in reference)
        {
            tensors.Add(F64(f.LayerName + ".activation_eigenvectors", f.ActivationEigenvectors));
            tensors.Add(F64(f.LayerName + ".activation_eigenvalues", f.ActivationEigenvalues));
            tensors.Add(F64(f.LayerName + ".gradient_eigenvectors", f.GradientEigenvectors));
            tensors.Add(F64(f.LayerName + ".gradient_eigenvalues", f.GradientEigenvalues));
            tensors.Add(F64(f.LayerName + ".lambda", f.Lambda!));
        }
        SafetensorsWriter.Write(Path.Combine(folder, "factors.safetensors"), tensors);
        File.WriteAllText(Path.Combine(folder, "factors.json"), $$"""
            { "format_version": 2, "name": "old", "model_fingerprint": "{{Fingerprint}}",
              "layers": [ {{string.Join(", ", Names.Select(n => $"\"{n}\""))}} ],
              "phase": "eigenvalue_correction", "covariance_examples": 7, "covariance_tokens": 77, "lambda_examples": 7,
              "chat_format": "qwen25", "truncate": false, "created_utc": "2026-12-01T10:00:00Z" }
            """);

        var store = new EkfacFactorStore(_root);
        using var loaded = store.Load("old", Fingerprint, Names).Factors;
        for (var l = 0; l < _layers.Count; l++)
        {
            Assert.True(Same(reference[l].ActivationEigenvectors, loaded[l].ActivationEigenvectors));
            Assert.True(Same(reference[l].GradientEigenvectors, loaded[l].GradientEigenvectors));
            Assert.True(Same(reference[l].Lambda!, loaded[l].Lambda!));
        }
        using var streamed = store.OpenStreamed("old", Fingerprint, Names);
        AssertPreconditionedClose(reference, streamed, 0);
    }

    [Fact]
    public void Float32_storage_preconditions_within_a_stated_tolerance_of_float64()
    {
        using var reference = EkfacFitter.FitTwoPass(_computer, _corpus, batchSize: 3);
        var store = new EkfacFactorStore(_root);
        var manifest = store.Save(Manifest("f32"), reference, EkfacStorageType.Float32);
        Assert.Equal(EkfacFactorsManifest.Float32, manifest.StorageDType);
        Assert.Equal(EkfacFactorsManifest.Float32, store.ReadManifest("f32")!.StorageDType);
        using (var file = SafetensorsFile.Open(Path.Combine(store.PathOf("f32"), manifest.Files![0].File)))
            Assert.All(file.Tensors.Values, t => Assert.Equal(TensorDType.F32, t.DType));

        // float32 rounds the bases and Λ to ~6e-8 relative; with the default damping (0.1 x mean Λ) the inverse amplifies
        // that by at most max(Λ) / (0.1 mean Λ) on this model, which keeps the result within 1e-5 relative.
        using var streamed = store.OpenStreamed("f32", Fingerprint, Names);
        var error = PreconditionedError(reference, streamed);
        Assert.True(error <= 1e-5, $"float32 storage: relative error {error}");
        Assert.True(error > 0, "float32 storage must round something"); // the storage really is float32
    }

    [Fact]
    public void Gate_and_up_store_their_shared_input_covariance_once()
    {
        var store = new EkfacFactorStore(_root);
        var manifest = FitBothPhases(store, "shared", new EkfacFitOptions { SpoolFolder = SpoolFolder });
        Assert.Equal("model.layers.0.mlp.gate_proj", manifest.SharedActivations["model.layers.0.mlp.up_proj"]);
        Assert.Equal("model.layers.1.mlp.gate_proj", manifest.SharedActivations["model.layers.1.mlp.up_proj"]);
        Assert.Equal(2, manifest.SharedActivations.Count);
        using (var file = SafetensorsFile.Open(Path.Combine(store.PathOf("shared"), manifest.FileOf("model.layers.0.mlp.up_proj"))))
        {
            Assert.Contains("model.layers.0.mlp.gate_proj.activation_eigenvectors", file.Tensors.Keys);
            Assert.DoesNotContain("model.layers.0.mlp.up_proj.activation_eigenvectors", file.Tensors.Keys);
            Assert.DoesNotContain("model.layers.0.mlp.up_proj.activation_eigenvalues", file.Tensors.Keys);
            Assert.Contains("model.layers.0.mlp.up_proj.gradient_eigenvectors", file.Tensors.Keys);
        }
        using var loaded = store.Load("shared", Fingerprint, Names).Factors;
        Assert.True(Same(loaded[0].ActivationEigenvectors, loaded[1].ActivationEigenvectors));
        // The two inputs really are the same: the all-at-once fit accumulates A once too, and each layer still has its own S.
        using var reference = EkfacFitter.FitTwoPass(_computer, _corpus, batchSize: 3);
        Assert.True(Same(reference[0].ActivationEigenvalues, reference[1].ActivationEigenvalues));
        Assert.False(Same(reference[0].GradientEigenvalues, reference[1].GradientEigenvalues));
    }

    [Fact]
    public void The_spool_is_removed_after_a_commit_after_an_abandoned_pass_and_after_a_failed_commit()
    {
        var store = new EkfacFactorStore(_root);
        var options = new EkfacFitOptions { SpoolFolder = SpoolFolder };

        using (var pass = Begin(store, "spooled", EkfacFitPhase.Covariance, options))
        {
            foreach (var batch in _corpus.Chunk(3)) pass.Add(batch);
            Assert.Equal(2, pass.Groups.Count);
            Assert.True(File.Exists(pass.SpoolPath), "a fit with two groups spools its corpus");
            pass.Commit();
            Assert.Null(pass.SpoolPath);
        }
        Assert.Empty(Directory.EnumerateFileSystemEntries(SpoolFolder));

        // Abandoned (the stream failed): nothing saved, nothing spooled left.
        using (var pass = Begin(store, "abandoned", EkfacFitPhase.Covariance, options))
        {
            pass.Add(_corpus.Take(3).ToList());
            Assert.True(File.Exists(pass.SpoolPath));
        }
        Assert.Empty(Directory.EnumerateFileSystemEntries(SpoolFolder));
        Assert.Null(store.ReadManifest("abandoned"));

        // A commit that fails at the manifest (a folder stands where it goes): the group files written and the spool go,
        // the previous factors stay.
        var before = store.ReadManifest("spooled")!;
        using (var pass = Begin(store, "spooled", EkfacFitPhase.EigenvalueCorrection, options))
        {
            foreach (var batch in _corpus.Chunk(3)) pass.Add(batch);
            File.Move(Path.Combine(store.PathOf("spooled"), EkfacFactorStore.ManifestFile), Path.Combine(_root, "saved.json"));
            Directory.CreateDirectory(Path.Combine(store.PathOf("spooled"), EkfacFactorStore.ManifestFile));
            Assert.ThrowsAny<IOException>(() => pass.Commit());
        }
        Assert.Empty(Directory.EnumerateFileSystemEntries(SpoolFolder));
        Assert.Equal(before.Files!.Select(f => f.File).Order(),
            Directory.EnumerateFiles(store.PathOf("spooled"), "*.safetensors").Select(Path.GetFileName).Order());
    }

    public void Dispose()
    {
        _model.Dispose();
        Directory.Delete(_root, recursive: true);
    }

    private IReadOnlyList<string> Names => _layers.Select(l => l.Name).ToList();

    private EkfacFitPass Begin(EkfacFactorStore store, string name, EkfacFitPhase phase, EkfacFitOptions options) =>
        EkfacFitPass.Begin(store, _computer, Fingerprint, name, phase, overwrite: true, ChatFormat.Qwen25, truncate: false, options: options);

    private EkfacFactorsManifest FitBothPhases(EkfacFactorStore store, string name, EkfacFitOptions options)
    {
        EkfacFactorsManifest manifest = null!;
        foreach (var phase in new[] { EkfacFitPhase.Covariance, EkfacFitPhase.EigenvalueCorrection })
        {
            using var pass = Begin(store, name, phase, options);
            foreach (var batch in _corpus.Chunk(3)) pass.Add(batch);
            manifest = pass.Commit();
        }
        Assert.Empty(Directory.Exists(SpoolFolder) ? Directory.EnumerateFileSystemEntries(SpoolFolder) : []);
        return manifest;
    }

    private EkfacFactorsManifest Manifest(string name) => new()
    {
        Name = name,
        ModelFingerprint = Fingerprint,
        Layers = Names,
        Phase = EkfacFactorsManifest.CorrectedPhase,
        ChatFormat = "qwen25",
    };

    private void AssertPreconditionedClose(IReadOnlyList<EkfacLayerFactors> expected, IReadOnlyList<EkfacLayerFactors> actual, double tolerance)
    {
        var error = PreconditionedError(expected, actual);
        Assert.True(error <= tolerance, $"preconditioned query gradients: relative error {error}");
    }

    // Largest relative error over layers of the full-space preconditioned query gradients (default damping).
    private double PreconditionedError(IReadOnlyList<EkfacLayerFactors> expected, IReadOnlyList<EkfacLayerFactors> actual)
    {
        using var projector = new Projector(_layers, ProjectionSpec.Exact, CPU);
        var engine = new QueryGradientEngine(_computer, projector);
        using var a = engine.ComputeFullSpace(_queries, MeasurementReduction.Mean, expected);
        using var b = engine.ComputeFullSpace(_queries, MeasurementReduction.Mean, actual);
        for (var l = 0; l < _layers.Count; l++)
            Assert.True(Math.Abs(b.Damping![l] - a.Damping![l]) <= 1e-5 * a.Damping[l], $"damping of layer {l}");
        return a.Layers.Select((t, l) => RelativeError(b.Layers[l], t)).Max();
    }

    private static double RelativeError(Tensor actual, Tensor expected) =>
        (actual - expected).abs().max().item<double>() / Math.Max(expected.abs().max().item<double>(), 1e-300);

    // Eigenvectors are defined up to sign: flip each column of actual to agree with expected, then compare.
    private static double SignAlignedError(Tensor actual, Tensor expected)
    {
        var signs = (actual * expected).sum([0L]).sign();
        return RelativeError(actual * signs, expected);
    }

    private static bool Same(Tensor a, Tensor b) => a.shape.SequenceEqual(b.shape) && a.eq(b).all().item<bool>();

    private static SafetensorsTensor F64(string name, Tensor t) =>
        new(name, TensorDType.F64, t.shape, t.contiguous().bytes.ToArray());
}
