using Infra.Core.Checkpoints;

namespace Infra.Torch.Tests.Reference;

/// <summary>
/// An independent, plain-C# forward pass of a HF Qwen2 / Llama decoder (<c>modeling_qwen2.py</c>
/// semantics) in double precision, used by tests as the ground truth for the TorchSharp model.
/// No TorchSharp here on purpose: a check is only worth something if the two sides share no code.
/// </summary>
/// <remarks>
/// One sequence at a time, positions <c>0..T-1</c> (or from an offset), causal attention, no padding,
/// no KV cache. Weights are read once through the callback by HF parameter name, row-major in HF shape,
/// and widened to double.
/// </remarks>
public sealed class ReferenceQwen2
{
    private readonly HfModelConfig config;
    private readonly Dictionary<string, double[]> weights = new(StringComparer.Ordinal);

    /// <summary>Reads every parameter the config implies through <paramref name="weight"/> and checks its size.</summary>
    /// <exception cref="ArgumentException">A tensor has the wrong number of elements.</exception>
    public ReferenceQwen2(HfModelConfig config, Func<string, float[]> weight)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(weight);
        config.Validate("reference config");
        this.config = config;
        foreach (var (name, shape) in Qwen2Parameters.Shapes(config))
        {
            var values = weight(name);
            var expected = shape.Aggregate(1, (a, b) => a * b);
            if (values.Length != expected)
                throw new ArgumentException($"{name}: {values.Length} elements, expected [{string.Join(", ", shape)}]", nameof(weight));
            weights[name] = Array.ConvertAll(values, v => (double)v);
        }
    }

    /// <summary>The configuration this model was built from.</summary>
    public HfModelConfig Config => config;

    /// <summary>Logits <c>[T, vocab]</c> for one sequence at positions <c>0..T-1</c>, causal attention.</summary>
    public double[,] Logits(int[] tokenIds) => Logits(tokenIds, firstPosition: 0);

    /// <summary>
    /// Logits <c>[T, vocab]</c> with the tokens at positions <c>firstPosition..firstPosition+T-1</c>
    /// (HF's <c>position_ids</c>); only RoPE sees the positions, so shifting them changes nothing but rounding.
    /// </summary>
    public double[,] Logits(int[] tokenIds, int firstPosition)
    {
        var hidden = FinalHidden(tokenIds, firstPosition, mlpCapture: null);
        var head = config.TieWordEmbeddings ? "model.embed_tokens.weight" : "lm_head.weight";
        return ReferenceMath.Linear(hidden, weights[head], config.VocabSize, bias: null);
    }

    /// <summary>
    /// Per-position cross-entropy of predicting <c>tokenIds[t]</c> from position <c>t-1</c>,
    /// <c>-log softmax(logits[t-1])[tokenIds[t]]</c>; length <c>T</c>, entry 0 is 0 (nothing predicts it).
    /// </summary>
    public double[] TokenLosses(int[] tokenIds)
    {
        var logits = Logits(tokenIds);
        var losses = new double[tokenIds.Length];
        for (var t = 1; t < tokenIds.Length; t++)
            losses[t] = -ReferenceMath.LogSoftmaxAt(ReferenceMath.Row(logits, t - 1), tokenIds[t]);
        return losses;
    }

    /// <summary>
    /// Inputs <c>a_t</c> <c>[T, d_in]</c> and outputs <c>[T, d_out]</c> of every MLP linear at every position,
    /// keyed <c>model.layers.{i}.mlp.gate_proj</c>, <c>.up_proj</c>, <c>.down_proj</c>, for checking captured factors.
    /// </summary>
    public IReadOnlyDictionary<string, (double[,] Inputs, double[,] Outputs)> MlpLinearActivations(int[] tokenIds)
    {
        var capture = new Dictionary<string, (double[,] Inputs, double[,] Outputs)>(StringComparer.Ordinal);
        FinalHidden(tokenIds, firstPosition: 0, capture);
        return capture;
    }

    /// <summary>Embeddings, the decoder layers, then the final norm: the hidden states the LM head reads.</summary>
    private double[,] FinalHidden(int[] tokenIds, int firstPosition, Dictionary<string, (double[,], double[,])>? mlpCapture)
    {
        ArgumentNullException.ThrowIfNull(tokenIds);
        ArgumentOutOfRangeException.ThrowIfNegative(firstPosition);
        var x = Embed(tokenIds);
        for (var layer = 0; layer < config.NumHiddenLayers; layer++)
        {
            var p = $"model.layers.{layer}.";
            var attentionInput = ReferenceMath.RmsNorm(x, weights[p + "input_layernorm.weight"], config.RmsNormEps);
            var h = ReferenceMath.Add(x, Attention(attentionInput, p + "self_attn.", firstPosition));
            var mlpInput = ReferenceMath.RmsNorm(h, weights[p + "post_attention_layernorm.weight"], config.RmsNormEps);
            x = ReferenceMath.Add(h, Mlp(mlpInput, p + "mlp.", mlpCapture));
        }
        return ReferenceMath.RmsNorm(x, weights["model.norm.weight"], config.RmsNormEps);
    }

    private double[,] Embed(int[] tokenIds)
    {
        var table = weights["model.embed_tokens.weight"];
        int hidden = config.HiddenSize;
        var x = new double[tokenIds.Length, hidden];
        for (var t = 0; t < tokenIds.Length; t++)
        {
            var id = tokenIds[t];
            if ((uint)id >= (uint)config.VocabSize)
                throw new ArgumentOutOfRangeException(nameof(tokenIds), $"token {id} at {t} is outside the vocabulary of {config.VocabSize}");
            for (var i = 0; i < hidden; i++)
                x[t, i] = table[(id * hidden) + i];
        }
        return x;
    }

    /// <summary>Causal grouped-query self-attention with RoPE on q and k, then <c>o_proj</c>.</summary>
    private double[,] Attention(double[,] x, string prefix, int firstPosition)
    {
        int tokens = x.GetLength(0), headDim = config.HeadDim;
        int heads = config.NumAttentionHeads, kvHeads = config.NumKeyValueHeads;
        double[]? Bias(string name) => weights.GetValueOrDefault(prefix + name);

        var q = ReferenceMath.Linear(x, weights[prefix + "q_proj.weight"], heads * headDim, Bias("q_proj.bias"));
        var k = ReferenceMath.Linear(x, weights[prefix + "k_proj.weight"], kvHeads * headDim, Bias("k_proj.bias"));
        var v = ReferenceMath.Linear(x, weights[prefix + "v_proj.weight"], kvHeads * headDim, Bias("v_proj.bias"));
        RotateHeads(q, heads, firstPosition);
        RotateHeads(k, kvHeads, firstPosition);

        // repeat_kv: query head h reads key/value head h / (heads / kvHeads).
        var group = heads / kvHeads;
        var scale = 1.0 / Math.Sqrt(headDim);
        var context = new double[tokens, heads * headDim];
        for (var h = 0; h < heads; h++)
        {
            var kv = h / group;
            for (var t = 0; t < tokens; t++)
            {
                // Causal mask: position t sees keys 0..t only, so later keys are simply not scored.
                var scores = new double[t + 1];
                for (var s = 0; s <= t; s++)
                {
                    var dot = 0.0;
                    for (var d = 0; d < headDim; d++)
                        dot += q[t, (h * headDim) + d] * k[s, (kv * headDim) + d];
                    scores[s] = dot * scale;
                }
                var probabilities = ReferenceMath.Softmax(scores);
                for (var d = 0; d < headDim; d++)
                {
                    var sum = 0.0;
                    for (var s = 0; s <= t; s++)
                        sum += probabilities[s] * v[s, (kv * headDim) + d];
                    context[t, (h * headDim) + d] = sum;
                }
            }
        }
        return ReferenceMath.Linear(context, weights[prefix + "o_proj.weight"], config.HiddenSize, Bias("o_proj.bias"));
    }

    /// <summary>Applies RoPE in place to every head of every position of a <c>[T, heads * head_dim]</c> projection.</summary>
    private void RotateHeads(double[,] projection, int heads, int firstPosition)
    {
        var headDim = config.HeadDim;
        var head = new double[headDim];
        for (var t = 0; t < projection.GetLength(0); t++)
        {
            for (var h = 0; h < heads; h++)
            {
                for (var d = 0; d < headDim; d++)
                    head[d] = projection[t, (h * headDim) + d];
                var rotated = Rotary.Apply(head, firstPosition + t, config.RopeTheta);
                for (var d = 0; d < headDim; d++)
                    projection[t, (h * headDim) + d] = rotated[d];
            }
        }
    }

    /// <summary><c>down_proj(silu(gate_proj(x)) * up_proj(x))</c>, recording each linear's input and output when asked.</summary>
    private double[,] Mlp(double[,] x, string prefix, Dictionary<string, (double[,], double[,])>? capture)
    {
        int tokens = x.GetLength(0), inter = config.IntermediateSize;
        var gate = ReferenceMath.Linear(x, weights[prefix + "gate_proj.weight"], inter, bias: null);
        var up = ReferenceMath.Linear(x, weights[prefix + "up_proj.weight"], inter, bias: null);
        var gated = new double[tokens, inter];
        for (var t = 0; t < tokens; t++)
        {
            for (var j = 0; j < inter; j++)
                gated[t, j] = ReferenceMath.Silu(gate[t, j]) * up[t, j];
        }
        var down = ReferenceMath.Linear(gated, weights[prefix + "down_proj.weight"], config.HiddenSize, bias: null);

        if (capture is not null)
        {
            // gate and up read the same input; give each its own copy so a caller may modify one.
            capture[prefix + "gate_proj"] = (x, gate);
            capture[prefix + "up_proj"] = ((double[,])x.Clone(), up);
            capture[prefix + "down_proj"] = (gated, down);
        }
        return down;
    }
}
