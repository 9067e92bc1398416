using System.Text.Json;
using System.Text.Json.Nodes;

namespace Infra.Core.Checkpoints;

/// <summary>
/// The fields of a HuggingFace <c>config.json</c> that define a Qwen2 or Llama decoder.
/// Field names follow HF's. Defaults are those of HF's <c>Qwen2Config</c> where the file omits a key.
/// </summary>
public sealed record HfModelConfig
{
    /// <summary>Architectures this project can build: Qwen2 (Qwen2 / Qwen2.5) and Llama.</summary>
    public static readonly IReadOnlySet<string> SupportedModelTypes = new HashSet<string>(StringComparer.Ordinal) { "qwen2", "llama" };

    /// <summary>"qwen2" or "llama".</summary>
    public required string ModelType { get; init; }
    public required int HiddenSize { get; init; }
    public required int IntermediateSize { get; init; }
    public required int NumHiddenLayers { get; init; }
    public required int NumAttentionHeads { get; init; }
    /// <summary>Key/value heads (grouped-query attention). Defaults to <see cref="NumAttentionHeads"/>.</summary>
    public required int NumKeyValueHeads { get; init; }
    public required int VocabSize { get; init; }
    /// <summary>Defaults to 10,000 (HF's default when the key is absent).</summary>
    public double RopeTheta { get; init; } = 10_000.0;
    /// <summary>Defaults to 1e-6.</summary>
    public double RmsNormEps { get; init; } = 1e-6;
    /// <summary>Defaults to false.</summary>
    public bool TieWordEmbeddings { get; init; }
    /// <summary>
    /// Bias on q/k/v projections (and, for Llama, on o_proj). Always true for Qwen2, whose HF model
    /// hard-codes it; Llama reads <c>attention_bias</c> (default false).
    /// </summary>
    public bool AttentionBias
    {
        get => ModelType == "qwen2" || _attentionBias;
        init => _attentionBias = value;
    }

    private readonly bool _attentionBias;
    /// <summary>Defaults to 32,768.</summary>
    public int MaxPositionEmbeddings { get; init; } = 32_768;
    /// <summary>"float32", "bfloat16" or "float16"; defaults to "float32".</summary>
    public string TorchDtype { get; init; } = "float32";
    /// <summary>Only "silu" is supported (the Qwen2 and Llama MLP activation).</summary>
    public string HiddenAct { get; init; } = "silu";
    public int? BosTokenId { get; init; }
    public int? EosTokenId { get; init; }

    /// <summary>Head dimension, <c>hidden_size / num_attention_heads</c>.</summary>
    public int HeadDim => HiddenSize / NumAttentionHeads;

    /// <summary>Reads and validates <c>config.json</c>.</summary>
    /// <exception cref="CheckpointException">Missing file, bad JSON, unknown architecture or inconsistent sizes.</exception>
    public static HfModelConfig Load(string path)
    {
        if (!File.Exists(path))
            throw new CheckpointException($"config.json not found: {path}");
        try
        {
            return Parse(File.ReadAllText(path), path);
        }
        catch (JsonException ex)
        {
            throw new CheckpointException($"{path}: not valid JSON ({ex.Message})", ex);
        }
    }

    /// <summary>Parses and validates the text of a <c>config.json</c>; <paramref name="source"/> names it in errors.</summary>
    public static HfModelConfig Parse(string json, string source = "config.json")
    {
        var root = JsonNode.Parse(json) as JsonObject
            ?? throw new CheckpointException($"{source}: expected a JSON object");
        var modelType = (string?)root["model_type"]
            ?? throw new CheckpointException($"{source}: 'model_type' is missing");
        if (!SupportedModelTypes.Contains(modelType))
            throw new CheckpointException(
                $"{source}: unknown architecture '{modelType}' (supported: {string.Join(", ", SupportedModelTypes)})");

        int Required(string key) => (int?)root[key]
            ?? throw new CheckpointException($"{source}: '{key}' is missing");

        var heads = Required("num_attention_heads");
        var config = new HfModelConfig
        {
            ModelType = modelType,
            HiddenSize = Required("hidden_size"),
            IntermediateSize = Required("intermediate_size"),
            NumHiddenLayers = Required("num_hidden_layers"),
            NumAttentionHeads = heads,
            NumKeyValueHeads = (int?)root["num_key_value_heads"] ?? heads,
            VocabSize = Required("vocab_size"),
            RopeTheta = (double?)root["rope_theta"] ?? 10_000.0,
            RmsNormEps = (double?)root["rms_norm_eps"] ?? 1e-6,
            TieWordEmbeddings = (bool?)root["tie_word_embeddings"] ?? false,
            AttentionBias = modelType == "qwen2" || ((bool?)root["attention_bias"] ?? false),
            MaxPositionEmbeddings = (int?)root["max_position_embeddings"] ?? 32_768,
            TorchDtype = (string?)root["torch_dtype"] ?? (string?)root["dtype"] ?? "float32",
            HiddenAct = (string?)root["hidden_act"] ?? "silu",
            BosTokenId = root["bos_token_id"] is JsonValue b && b.TryGetValue<int>(out var bos) ? bos : null,
            EosTokenId = root["eos_token_id"] is JsonValue e && e.TryGetValue<int>(out var eos) ? eos : null,
        };
        config.Validate(source);
        return config;
    }

    /// <summary>Checks sizes for consistency.</summary>
    /// <exception cref="CheckpointException">Names the first inconsistent field.</exception>
    public void Validate(string source = "config.json")
    {
        void Positive(string key, int value)
        {
            if (value <= 0) throw new CheckpointException($"{source}: '{key}' must be positive, got {value}");
        }
        Positive("hidden_size", HiddenSize);
        Positive("intermediate_size", IntermediateSize);
        Positive("num_hidden_layers", NumHiddenLayers);
        Positive("num_attention_heads", NumAttentionHeads);
        Positive("num_key_value_heads", NumKeyValueHeads);
        Positive("vocab_size", VocabSize);
        if (HiddenSize % NumAttentionHeads != 0)
            throw new CheckpointException($"{source}: hidden_size {HiddenSize} is not divisible by num_attention_heads {NumAttentionHeads}");
        if (HeadDim % 2 != 0)
            throw new CheckpointException($"{source}: head dim {HeadDim} must be even for rotary embeddings");
        if (NumAttentionHeads % NumKeyValueHeads != 0)
            throw new CheckpointException($"{source}: num_attention_heads {NumAttentionHeads} is not a multiple of num_key_value_heads {NumKeyValueHeads}");
        if (HiddenAct != "silu")
            throw new CheckpointException($"{source}: hidden_act '{HiddenAct}' is not supported (only 'silu')");
        if (TorchDtype is not ("float32" or "bfloat16" or "float16"))
            throw new CheckpointException($"{source}: torch_dtype '{TorchDtype}' is not supported (float32, bfloat16, float16)");
    }

    /// <summary>Writes this config as HF <c>config.json</c> text (the keys HF's Qwen2/Llama configs use).</summary>
    public string ToJson()
    {
        var o = new JsonObject
        {
            ["architectures"] = new JsonArray(ModelType == "qwen2" ? "Qwen2ForCausalLM" : "LlamaForCausalLM"),
            ["model_type"] = ModelType,
            ["hidden_size"] = HiddenSize,
            ["intermediate_size"] = IntermediateSize,
            ["num_hidden_layers"] = NumHiddenLayers,
            ["num_attention_heads"] = NumAttentionHeads,
            ["num_key_value_heads"] = NumKeyValueHeads,
            ["vocab_size"] = VocabSize,
            ["rope_theta"] = RopeTheta,
            ["rms_norm_eps"] = RmsNormEps,
            ["tie_word_embeddings"] = TieWordEmbeddings,
            ["max_position_embeddings"] = MaxPositionEmbeddings,
            ["torch_dtype"] = TorchDtype,
            ["hidden_act"] = HiddenAct,
        };
        if (ModelType == "llama") o["attention_bias"] = AttentionBias;
        if (BosTokenId is { } bos) o["bos_token_id"] = bos;
        if (EosTokenId is { } eos) o["eos_token_id"] = eos;
        return o.ToJsonString(new JsonSerializerOptions { WriteIndented = true });
    }
}
