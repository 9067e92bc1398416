using System.Globalization;
using System.Text.RegularExpressions;

namespace Infra.Core.Checkpoints;

/// <summary>
/// The parameter names and shapes HF's <c>Qwen2ForCausalLM</c> / <c>LlamaForCausalLM</c> expect.
/// With <see cref="HfModelConfig.TieWordEmbeddings"/>, <c>lm_head.weight</c> is optional: HF ties
/// it to the embeddings and ignores a stored copy, so one may be present (with the right shape).
/// Rotary <c>inv_freq</c> buffers that older HF checkpoints carry are accepted and ignored.
/// </summary>
public static partial class Qwen2TensorLayout
{
    /// <summary>"lm_head.weight".</summary>
    public const string LmHead = "lm_head.weight";

    /// <summary>
    /// Every tensor the model needs, name to shape. <c>lm_head.weight</c> is left out when embeddings
    /// are tied.
    /// </summary>
    public static IReadOnlyDictionary<string, long[]> ExpectedTensors(HfModelConfig c)
    {
        ArgumentNullException.ThrowIfNull(c);
        long hidden = c.HiddenSize, vocab = c.VocabSize, inter = c.IntermediateSize;
        long q = (long)c.NumAttentionHeads * c.HeadDim, kv = (long)c.NumKeyValueHeads * c.HeadDim;
        var t = new Dictionary<string, long[]>(StringComparer.Ordinal)
        {
            ["model.embed_tokens.weight"] = [vocab, hidden],
        };
        for (var i = 0; i < c.NumHiddenLayers; i++)
        {
            var p = string.Create(CultureInfo.InvariantCulture, $"model.layers.{i}.");
            t[p + "input_layernorm.weight"] = [hidden];
            t[p + "self_attn.q_proj.weight"] = [q, hidden];
            t[p + "self_attn.k_proj.weight"] = [kv, hidden];
            t[p + "self_attn.v_proj.weight"] = [kv, hidden];
            if (c.AttentionBias)
            {
                t[p + "self_attn.q_proj.bias"] = [q];
                t[p + "self_attn.k_proj.bias"] = [kv];
                t[p + "self_attn.v_proj.bias"] = [kv];
            }
            t[p + "self_attn.o_proj.weight"] = [hidden, q];
            // HF's Llama gives o_proj a bias exactly when attention_bias is set; Qwen2 never does.
            if (c.AttentionBias && c.ModelType == "llama")
                t[p + "self_attn.o_proj.bias"] = [hidden];
            t[p + "post_attention_layernorm.weight"] = [hidden];
            t[p + "mlp.gate_proj.weight"] = [inter, hidden];
            t[p + "mlp.up_proj.weight"] = [inter, hidden];
            t[p + "mlp.down_proj.weight"] = [hidden, inter];
        }
        t["model.norm.weight"] = [hidden];
        if (!c.TieWordEmbeddings)
            t[LmHead] = [vocab, hidden];
        return t;
    }

    /// <summary>
    /// Checks <paramref name="folder"/> against <see cref="ExpectedTensors"/>: missing and unexpected
    /// tensors, wrong shapes, and dtypes other than F32/F16/BF16.
    /// </summary>
    /// <exception cref="CheckpointException">One exception listing every problem found.</exception>
    public static void Validate(CheckpointFolder folder)
    {
        ArgumentNullException.ThrowIfNull(folder);
        var expected = ExpectedTensors(folder.Config);
        var present = folder.TensorNames.ToHashSet(StringComparer.Ordinal);
        var problems = new List<string>();

        var missing = expected.Keys.Where(n => !present.Contains(n)).Order(StringComparer.Ordinal).ToList();
        if (missing.Count > 0)
            problems.Add($"missing tensors: {string.Join(", ", missing)}");

        var extra = present
            .Where(n => !expected.ContainsKey(n) && !IsIgnored(n, folder.Config))
            .Order(StringComparer.Ordinal).ToList();
        if (extra.Count > 0)
            problems.Add($"unexpected tensors: {string.Join(", ", extra)}");

        foreach (var name in folder.TensorNames)
        {
            var shape = expected.TryGetValue(name, out var s) ? s
                : name == LmHead && folder.Config.TieWordEmbeddings ? [folder.Config.VocabSize, folder.Config.HiddenSize]
                : null;
            if (shape is null) continue;
            var info = folder.Info(name);
            if (!info.Shape.AsSpan().SequenceEqual(shape))
                problems.Add($"{name}: expected {TensorShape.Format(shape)}, found {info.ShapeText}");
            if (!info.DType.IsFloat32Convertible())
                problems.Add($"{name}: dtype {info.DType.ToSafetensorsName()} is not F32, F16 or BF16");
        }

        if (problems.Count > 0)
        {
            throw new CheckpointException(
                $"{folder.Folder}: checkpoint does not match the {folder.Config.ModelType} layout ({problems.Count} problem(s)):"
                + Environment.NewLine + "  " + string.Join(Environment.NewLine + "  ", problems));
        }
    }

    // inv_freq is a non-persistent buffer recomputed from rope_theta; a tied lm_head is ignored by HF.
    private static bool IsIgnored(string name, HfModelConfig config) =>
        InvFreqPattern().IsMatch(name) || (name == LmHead && config.TieWordEmbeddings);

    [GeneratedRegex(@"^model\.layers\.\d+\.self_attn\.rotary_emb\.inv_freq$")]
    private static partial Regex InvFreqPattern();
}
