using System.Collections.Concurrent;
using Infra.Core.Checkpoints;
using Infra.Core.Compression;
using Infra.Core.Text;
using Infra.Torch.Gradients;
using Infra.Torch.Model;
using Infra.Torch.Runtime;
using TorchSharp;
using Microsoft.Extensions.Options;

namespace Infra.Gradients.Hosting;

/// <summary>
/// The loaded model, tokenizer and tracked layers, shared by all calls. libtorch work is serialised
/// through <see cref="AcquireAsync"/>: one batch at a time uses all cores, and the model's capture slot
/// is per-model state.
/// </summary>
public sealed class ModelSession : IDisposable
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly ConcurrentDictionary<ProjectionSpec, Projector> _projectors = new();

    public ModelSession(IOptions<GradientServiceOptions> options, ILogger<ModelSession> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        Options = options.Value;
        torch.set_num_threads(Options.TorchThreads > 0 ? Options.TorchThreads : Environment.ProcessorCount);
        var device = TorchDevices.Resolve(TorchDevices.Parse(Options.Device));
        var dtype = ComputeDType.Parse(Options.ComputeDType, device);
        using (var checkpoint = CheckpointFolder.Open(Options.ModelPath))
        {
            Fingerprint = checkpoint.ComputeFingerprint();
            Model = CheckpointLoader.Load(checkpoint, device, dtype);
        }
        Tokenizer = HfTokenizer.LoadFolder(Options.ModelPath);
        // Read at start-up so that a broken template stops the service here, not the first conversation.
        ChatTemplate = CheckpointChatTemplate.LoadFromFolder(Options.ModelPath);
        if (ChatTemplate is null) Log.NoCheckpointChatTemplate(logger);
        else Log.CheckpointChatTemplate(logger);
        var selection = new LayerSelection
        {
            Pattern = Options.LayerPattern,
            FirstLayer = Options.FirstLayer,
            LastLayer = Options.LastLayer < 0 ? null : Options.LastLayer,
        };
        Layers = selection.Select(Model);
        Computer = new FactorComputer(Model, Layers, Options.MaxLength > 0 ? Options.MaxLength : null)
        {
            ActivationBudgetBytes = Options.ActivationBudgetBytes,
        };
        DeviceName = device.ToString();
        DTypeName = ComputeDType.Name(dtype);
        ComputeType = dtype;
        Log.ModelLoaded(logger, Options.ModelPath, Model.Config.ModelType, Layers.Count, DeviceName, DTypeName, Fingerprint[..12]);
    }

    public GradientServiceOptions Options { get; }
    public Qwen2ForCausalLM Model { get; }
    public HfTokenizer Tokenizer { get; }

    /// <summary>The checkpoint's own chat template (tokenizer_config.json's <c>chat_template</c>); null when it has none.</summary>
    public CheckpointChatTemplate? ChatTemplate { get; }
    public string Fingerprint { get; }
    public IReadOnlyList<TrackedLayer> Layers { get; }
    public FactorComputer Computer { get; }
    public string DeviceName { get; }
    public string DTypeName { get; }
    public torch.ScalarType ComputeType { get; }

    /// <summary>Waits for exclusive use of the model.</summary>
    public async Task<IDisposable> AcquireAsync(CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        return new Release(_gate);
    }

    /// <summary>The projector for <paramref name="spec"/> (built once, then reused).</summary>
    public Projector ProjectorFor(ProjectionSpec spec) =>
        _projectors.GetOrAdd(spec, s => new Projector(Layers, s, Model.Device));

    public void Dispose()
    {
        foreach (var p in _projectors.Values) p.Dispose();
        Model.Dispose();
        _gate.Dispose();
    }

    private sealed class Release(SemaphoreSlim gate) : IDisposable
    {
        private int _released;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _released, 1) == 0) gate.Release();
        }
    }
}
