using System.Globalization;
using Infra.Torch.Model;
using TorchSharp;
using static TorchSharp.torch;

namespace Infra.Torch.Gradients;

/// <summary>
/// The factors of <see cref="FactorComputer.Run(IReadOnlyList{TokenizedExample}, bool[])"/> with the autograd graph of one
/// decoder layer alive at a time: a forward pass without a graph keeps only each layer's input <c>x_l [B, T, hidden]</c>;
/// the loss gives <c>dL/dx_L</c> at the top; then, from the top layer down, layer <c>l</c>'s forward is recomputed from
/// <c>x_l</c> with its tracked layers recorded, and one <c>autograd.grad</c> yields their <c>g_t</c> and <c>dL/dx_l</c>,
/// which is the next layer's upstream gradient.
/// </summary>
/// <remarks>
/// Why: the whole graph of an 8k-token example at Qwen2.5-0.5B's dimensions is ~1.3 GiB per layer, ~32 GiB over 24
/// layers; recomputation holds one layer's graph plus <c>L</c> hidden states (29 MiB each at 0.5B), for one extra
/// forward pass. The recomputed forward runs the same operations on the same inputs, so the values equal the one-graph
/// computation's; the backward chains through <c>dL/dx_l</c> exactly as autograd does across layers.
/// </remarks>
internal static class LayerwiseSweep
{
    /// <summary>
    /// Runs the sweep, handing each tracked layer's factors to <paramref name="sink"/> (its index in the tracked list,
    /// <c>A [B, T, d_in]</c>, <c>G [B, T, d_out]</c>, fp32, valid only during the call), and returns the token losses
    /// <c>[B, T]</c> (fp32, outside any dispose scope).
    /// </summary>
    public static Tensor Run(Qwen2ForCausalLM model, IReadOnlyList<TrackedLayer> layers, IReadOnlyList<TokenizedExample> batch,
        int lossChunk, Action<int, Tensor, Tensor> sink)
    {
        using var scope = NewDisposeScope();
        var decoder = model.Decoder;
        var byDecoderLayer = ByDecoderLayer(layers);
        var lowest = byDecoderLayer.Count == 0 ? decoder.LayerCount : byDecoderLayer.Keys.Min();
        var (b, t, ids) = FactorComputer.PaddedIds(batch, model.Device);
        var (cos, sin) = decoder.Rotary(t, model.Device);

        // Layer inputs from the lowest tracked layer up, and the top's output: nothing below the lowest is needed again.
        var inputs = new Tensor[decoder.LayerCount + 1];
        using (no_grad())
        {
            var x = decoder.Embed(ids);
            for (var i = 0; i < decoder.LayerCount; i++)
            {
                if (i >= lowest) inputs[i] = x;
                Tensor next;
                // A scope per layer: the layer's intermediate tensors (norms, q/k/v, the MLP's) are freed as it ends, not
                // kept to the end of the sweep (24 layers of them at 8k tokens would be the whole graph's memory again).
                using (var layerScope = NewDisposeScope())
                    next = decoder.Layer(i, x, cos, sin).MoveToOuterDisposeScope();
                if (i < lowest) x.Dispose();
                x = next;
            }
            inputs[decoder.LayerCount] = x;
        }

        var tokenLosses = zeros(b * t, device: model.Device);
        var upstream = TopGradient(model, batch, t, inputs[decoder.LayerCount], tokenLosses, lossChunk);
        for (var i = decoder.LayerCount - 1; i >= lowest; i--)
        {
            using var layerScope = NewDisposeScope();
            var x = inputs[i].detach().requires_grad_(true);
            var tracked = byDecoderLayer.GetValueOrDefault(i) ?? [];
            var capture = new LinearCapture(tracked.Select(k => layers[k].Name).ToHashSet(StringComparer.Ordinal));
            model.Capture.Active = capture;
            Tensor y;
            try
            {
                y = decoder.Layer(i, x, cos, sin);
            }
            finally
            {
                model.Capture.Active = null;
            }
            var records = tracked.Select(k => capture.Get(layers[k].Name)).ToList();
            var targets = records.Select(r => r.Output).ToList();
            if (i > lowest) targets.Add(x);
            var gradients = autograd.grad([y], targets, [upstream]);
            for (var k = 0; k < tracked.Count; k++)
                sink(tracked[k], Fp32(records[k].Input), Fp32(gradients[k]));
            upstream.Dispose();
            upstream = i > lowest ? gradients[^1].detach().MoveToOuterDisposeScope() : empty(0);
            inputs[i].Dispose();
        }
        upstream.Dispose();
        return tokenLosses.view(b, t).DetachFromDisposeScope();
    }

    /// <summary>The decoder layer of a tracked layer named "model.layers.{i}.…", or null for one outside the decoder layers.</summary>
    public static int? DecoderLayerOf(TrackedLayer layer)
    {
        const string prefix = "model.layers.";
        ArgumentNullException.ThrowIfNull(layer);
        if (!layer.Name.StartsWith(prefix, StringComparison.Ordinal)) return null;
        var end = layer.Name.IndexOf('.', prefix.Length);
        return end > prefix.Length && int.TryParse(layer.Name.AsSpan(prefix.Length, end - prefix.Length), NumberStyles.None,
            CultureInfo.InvariantCulture, out var index) ? index : null;
    }

    // dL/dx_L at the top layer's output, and the token losses written into tokenLosses [B*T].
    private static Tensor TopGradient(Qwen2ForCausalLM model, IReadOnlyList<TokenizedExample> batch, int t, Tensor top,
        Tensor tokenLosses, int lossChunk)
    {
        var rows = LossRows.Of(batch, t);
        if (rows.Count == 0) return zeros_like(top);
        using var scope = NewDisposeScope();
        var device = model.Device;
        var x = top.detach().requires_grad_(true);
        var normed = model.FinalNorm(x.reshape(batch.Count * t, -1).index_select(0, tensor(rows.Positions).to(device)));
        var (losses, hiddenGradient) = ResponseLoss.Compute(normed, model.HeadWeight,
            tensor(rows.Targets).to(device), tensor(rows.Weights).to(device), lossChunk);
        tokenLosses.index_copy_(0, tensor(rows.Predicted).to(device), losses);
        return autograd.grad([normed], [x], [hiddenGradient])[0].detach().MoveToOuterDisposeScope();
    }

    private static Dictionary<int, List<int>> ByDecoderLayer(IReadOnlyList<TrackedLayer> layers)
    {
        var result = new Dictionary<int, List<int>>();
        for (var k = 0; k < layers.Count; k++)
        {
            var i = DecoderLayerOf(layers[k]) ?? throw new ArgumentException(
                $"tracked layer '{layers[k].Name}' is not inside a decoder layer; the layer-by-layer sweep cannot reach it", nameof(layers));
            if (!result.TryGetValue(i, out var list)) result[i] = list = [];
            list.Add(k);
        }
        return result;
    }

    private static Tensor Fp32(Tensor t) => t.detach().to_type(ScalarType.Float32).contiguous();
}
