using Infra.Torch.Model;
using static TorchSharp.torch;

namespace Infra.Torch.Generation;

/// <summary>Greedy (argmax) decoding of one sequence with a key/value cache.</summary>
public static class GreedyDecoder
{
    /// <summary>
    /// Feeds <paramref name="promptIds"/> once, then one token per step, each the argmax of the last logits
    /// (the lowest id on a tie, as <c>torch.argmax</c>). Stops after a token in <paramref name="stopIds"/>
    /// (which is included as the last id returned, as HF's <c>generate</c>) or after
    /// <paramref name="maxNewTokens"/> tokens.
    /// </summary>
    /// <param name="model">The model; its dropout-free forward makes train/eval mode irrelevant.</param>
    /// <param name="promptIds">At least one token id.</param>
    /// <param name="maxNewTokens">Most tokens generated; 0 returns none.</param>
    /// <param name="stopIds">Ids that end generation, e.g. EOS and <c>&lt;|im_end|&gt;</c>; may be empty.</param>
    /// <param name="stepLogits">When given, receives the fp32 logits each generated token was chosen from.</param>
    /// <param name="cancellationToken">Checked before every step, so a cancelled caller stops decoding within one token.</param>
    /// <returns>The generated ids, without the prompt.</returns>
    /// <exception cref="ArgumentException">An empty prompt or an id outside the vocabulary.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public static int[] Generate(
        Qwen2ForCausalLM model, int[] promptIds, int maxNewTokens, IReadOnlySet<int> stopIds, IList<float[]>? stepLogits = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(promptIds);
        ArgumentNullException.ThrowIfNull(stopIds);
        ArgumentOutOfRangeException.ThrowIfNegative(maxNewTokens);
        if (promptIds.Length == 0) throw new ArgumentException("the prompt has no tokens", nameof(promptIds));
        var vocab = model.Config.VocabSize;
        if (Array.FindIndex(promptIds, id => id < 0 || id >= vocab) is var bad and >= 0)
            throw new ArgumentException($"prompt token {bad} has id {promptIds[bad]}, outside the vocabulary [0, {vocab})", nameof(promptIds));
        if (maxNewTokens == 0) return [];

        // The last generated token is returned, never fed back, so it needs no cache slot.
        using var cache = KvCache.For(model, 1, promptIds.Length + maxNewTokens - 1);
        var generated = new List<int>(maxNewTokens);
        var input = promptIds.Select(id => (long)id).ToArray();
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            using var scope = NewDisposeScope();
            var logits = model.ForwardCached(tensor(input, [1, input.Length]).to(model.Device), cache);
            var last = logits[0, -1].to_type(ScalarType.Float32);
            stepLogits?.Add(last.cpu().data<float>().ToArray());
            var next = (int)last.argmax().item<long>();
            generated.Add(next);
            if (stopIds.Contains(next) || generated.Count == maxNewTokens) return [.. generated];
            input = [next];
        }
    }
}
