using System.ComponentModel.DataAnnotations;
using Infra.Torch.Gradients;

namespace Infra.Gradients;

/// <summary>
/// Settings of the GradientService, bound from the "Gradients" configuration section
/// (appsettings.json, environment variables <c>Gradients__ModelPath</c>, or <c>--Gradients:ModelPath=…</c>).
/// Validated at start-up; an invalid value stops the service with a message naming the setting.
/// </summary>
public sealed class GradientServiceOptions
{
    /// <summary>The configuration section name.</summary>
    public const string Section = "Gradients";

    /// <summary>HF checkpoint folder: config.json, *.safetensors, tokenizer.json. Required.</summary>
    [Required]
    public string ModelPath { get; set; } = "";

    /// <summary>"cpu", "cuda" or "auto". Defaults to "auto".</summary>
    public string Device { get; set; } = "auto";

    /// <summary>
    /// libtorch intra-op threads (<c>torch.set_num_threads</c>, process-wide). Defaults to 0: the cores this process may use
    /// (<see cref="Environment.ProcessorCount"/>, which honours container CPU limits), rather than libtorch's own guess,
    /// which counts the host's cores and oversubscribes a limited container.
    /// </summary>
    [Range(0, 4096)]
    public int TorchThreads { get; set; }

    /// <summary>"float32" or "bfloat16" ("float16" on CUDA only). Defaults to "float32".</summary>
    public string ComputeDType { get; set; } = "float32";

    /// <summary>Longest example in tokens. Defaults to 0: the model's max_position_embeddings.</summary>
    [Range(0, int.MaxValue)]
    public int MaxLength { get; set; }

    /// <summary>Examples per forward/backward batch when a request does not say. Defaults to 8.</summary>
    [Range(1, 4096)]
    public int DefaultBatchSize { get; set; } = 8;

    /// <summary>Regex over HF module names selecting the tracked layers. Defaults to every MLP gate/up/down projection.</summary>
    public string LayerPattern { get; set; } = Infra.Torch.Gradients.LayerSelection.DefaultPattern;

    /// <summary>First tracked decoder layer. Defaults to 0.</summary>
    [Range(0, int.MaxValue)]
    public int FirstLayer { get; set; }

    /// <summary>Last tracked decoder layer; -1 = the last. Defaults to -1.</summary>
    [Range(-1, int.MaxValue)]
    public int LastLayer { get; set; } = -1;

    /// <summary>Projected dims used when a request leaves them 0. Defaults to 64.</summary>
    [Range(1, 1 << 20)]
    public int DefaultProjectionDim { get; set; } = Infra.Core.Compression.ProjectionSpec.DefaultDim;

    /// <summary>
    /// Whether a conversation (Example.messages) whose request leaves ConversationLoss.assistant_turns unspecified trains
    /// only its last assistant turn (earlier turns are context). Defaults to false: every assistant turn, as TRL's
    /// assistant-only loss.
    /// </summary>
    public bool LastAssistantTurnOnly { get; set; }

    /// <summary>
    /// Whether the line break(s) a chat template writes after an assistant turn's end-of-turn token (Qwen's
    /// <c>&lt;|im_end|&gt;\n</c>) carry loss when a request leaves ConversationLoss.train_trailing_newline unset. Defaults
    /// to true, as TRL and LLaMA-Factory train them. Conversations only: system/prompt/response examples keep their format.
    /// </summary>
    public bool TrainTrailingNewline { get; set; } = true;

    /// <summary>Folder of persisted full-space EK-FAC factors. Defaults to "factors" (relative to the working directory).</summary>
    [Required]
    public string FactorsPath { get; set; } = "factors";

    /// <summary>
    /// Most float64 factor bytes an EK-FAC fit holds in one pass over its corpus (<see cref="Infra.Torch.Ekfac.EkfacFitOptions.GroupBudgetBytes"/>);
    /// with more layers than that, the corpus is spooled to disk and replayed once per further group. Defaults to 0: one
    /// decoder layer's tracked projections per pass.
    /// </summary>
    [Range(typeof(long), "0", "9223372036854775807")]
    public long EkfacGroupBudgetBytes { get; set; }

    /// <summary>
    /// Most bytes the autograd graph of one batch may be estimated to take (<see cref="FactorComputer.ActivationBudgetBytes"/>)
    /// before the forward pass is recomputed layer by layer during the backward sweep, so that long examples fit: the same
    /// factors for one more forward pass. Defaults to 4 GiB (4,294,967,296); 0 always recomputes.
    /// </summary>
    [Range(typeof(long), "0", "9223372036854775807")]
    public long ActivationBudgetBytes { get; set; } = FactorComputer.DefaultActivationBudgetBytes;

    /// <summary>How fitted EK-FAC factors are stored: "float64" (faithful) or "float32" (half the disk and reads; accumulation stays float64). Defaults to "float64".</summary>
    [RegularExpression("^(float64|float32)$")]
    public string EkfacStorageDType { get; set; } = "float64";

    /// <summary>
    /// Folder of the temporary spools: the corpus of an EK-FAC fit with several groups (deleted after each phase) and the
    /// full-space queries of a ScoreExact call above <see cref="ExactQueryBudgetBytes"/> (deleted when the call ends).
    /// Defaults to "": the system's temp folder.
    /// </summary>
    public string EkfacSpoolPath { get; set; } = "";

    /// <summary>
    /// Most bytes a ScoreExact call's full-space preconditioned queries may take in memory (float64, every tracked layer:
    /// 2.5 GB per query at Qwen2.5-0.5B, 9.2 GB at 1.5B); above it they are spooled to <see cref="EkfacSpoolPath"/> and read
    /// back one layer at a time per candidate batch, so memory holds one layer's queries whatever the depth. Defaults to
    /// 4 GiB (4,294,967,296); 0 always spools.
    /// </summary>
    [Range(typeof(long), "0", "9223372036854775807")]
    public long ExactQueryBudgetBytes { get; set; } = DefaultExactQueryBudgetBytes;

    /// <summary>The default of <see cref="ExactQueryBudgetBytes"/>: 4 GiB.</summary>
    public const long DefaultExactQueryBudgetBytes = 4L << 30;

    /// <summary>The EK-FAC fit options these settings describe.</summary>
    internal Infra.Torch.Ekfac.EkfacFitOptions EkfacFit => new()
    {
        GroupBudgetBytes = EkfacGroupBudgetBytes > 0 ? EkfacGroupBudgetBytes : null,
        StorageType = EkfacStorageDType == "float32" ? Infra.Torch.Ekfac.EkfacStorageType.Float32 : Infra.Torch.Ekfac.EkfacStorageType.Float64,
        SpoolFolder = string.IsNullOrEmpty(EkfacSpoolPath) ? null : EkfacSpoolPath,
    };

    /// <summary>
    /// Batches of a ComputeGradients call the model computes ahead of the one being written to the stream, so compute and
    /// serialisation overlap; each holds one batch's factors in memory until written. 0 computes a batch only once the
    /// previous one is written. Defaults to 1.
    /// </summary>
    [Range(0, 16)]
    public int ComputeAheadBatches { get; set; } = 1;

    /// <summary>Largest factor payload per streamed message, in bytes. Defaults to 1,048,576 (1 MiB), well under gRPC's 4 MB limit.</summary>
    [Range(1024, 3 * 1024 * 1024)]
    public int ChunkBytes { get; set; } = 1 << 20;

    /// <summary>
    /// The ScoringService addresses ComputeGradients may forward to (<c>forward_to</c>), comma-separated, compared by
    /// scheme, host and port (e.g. "http://scoring:8080"). The service sends its API key there, so any other address
    /// is refused with PermissionDenied. Defaults to "": only loopback addresses (see <see cref="AllowLoopbackForwardTargets"/>).
    /// </summary>
    public string AllowedForwardTargets { get; set; } = "";

    /// <summary>
    /// Whether any loopback address (localhost, 127.0.0.0/8, ::1; any port) may be a <c>forward_to</c> target, as the
    /// CLI's serve and demo and the tests use. Defaults to true.
    /// </summary>
    public bool AllowLoopbackForwardTargets { get; set; } = true;

    /// <summary>Largest gRPC message received, in bytes. Defaults to 16,777,216 (16 MiB): requests carry examples (text), not tensors, so this only bounds very long documents.</summary>
    [Range(1024, int.MaxValue)]
    public int MaxReceiveMessageBytes { get; set; } = 16 * 1024 * 1024;

    /// <summary>Largest gRPC message sent, in bytes. Defaults to 4,194,304 (4 MiB, gRPC's usual limit): factor chunks stay under <see cref="ChunkBytes"/>.</summary>
    [Range(1024, int.MaxValue)]
    public int MaxSendMessageBytes { get; set; } = 4 * 1024 * 1024;

    /// <summary>Largest batch_size a request may ask for (GradientOptions, FitFactorsOptions, ExactScoringOptions). Defaults to 256.</summary>
    [Range(1, 1 << 16)]
    public int MaxBatchSize { get; set; } = 256;

    /// <summary>Largest max_new_tokens of a Generate. Defaults to 4,096.</summary>
    [Range(1, int.MaxValue)]
    public int MaxNewTokens { get; set; } = 4096;

    /// <summary>Most prompts in one Generate. Defaults to 256.</summary>
    [Range(1, int.MaxValue)]
    public int MaxPrompts { get; set; } = 256;

    /// <summary>Most queries in one ComputeQueryGradients or ScoreExact (each costs a forward/backward and a gradient kept in memory). Defaults to 4,096.</summary>
    [Range(1, int.MaxValue)]
    public int MaxQueries { get; set; } = 4096;

    /// <summary>Largest projected dims a request may ask for (ProjectionSpec.k_in, k_out; the projection matrices grow with them). Defaults to 4,096.</summary>
    [Range(1, 1 << 20)]
    public int MaxProjectionDim { get; set; } = 4096;
}
