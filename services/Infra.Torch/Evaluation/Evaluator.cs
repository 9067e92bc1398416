using Infra.Core.Text;
using Infra.Torch.Generation;
using Infra.Torch.Model;

namespace Infra.Torch.Evaluation;

/// <summary>Greedy generation on evaluation prompts, judged by each item's predicate.</summary>
public static class Evaluator
{
    /// <summary>
    /// Renders each prompt as the start of an assistant turn in <paramref name="format"/> (the text before the
    /// response in <see cref="ChatTemplate.Build"/>), decodes greedily until a stop token (the tokenizer's EOS,
    /// <c>&lt;|im_end|&gt;</c> and the model's eos_token_id) or <paramref name="maxNewTokens"/>, and judges the decoded text.
    /// </summary>
    /// <param name="model">The model, e.g. one just trained.</param>
    /// <param name="tokenizer">Its tokenizer.</param>
    /// <param name="items">The prompts and their predicates.</param>
    /// <param name="format">How prompts are rendered, as in training.</param>
    /// <param name="maxNewTokens">Most tokens generated per item.</param>
    /// <param name="system">System message for <see cref="ChatFormat.Qwen25"/>; null uses the template's default.</param>
    public static EvaluationReport Evaluate(
        Qwen2ForCausalLM model, HfTokenizer tokenizer, IEnumerable<EvaluationItem> items, ChatFormat format, int maxNewTokens, string? system = null)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(tokenizer);
        ArgumentNullException.ThrowIfNull(items);
        var stopIds = StopIds(model, tokenizer);
        var results = new List<EvaluationResult>();
        foreach (var item in items)
        {
            var prompt = PromptIds(tokenizer, system, item.Prompt, format);
            var generated = GreedyDecoder.Generate(model, prompt, maxNewTokens, stopIds);
            var stopped = generated.Length > 0 && stopIds.Contains(generated[^1]);
            var text = tokenizer.Decode(stopped ? generated[..^1] : generated);
            results.Add(new EvaluationResult(item.Id, item.Domain, item.Difficulty, text, generated.Length, stopped, item.IsCorrect(text)));
        }
        var table = results
            .GroupBy(r => (r.Domain, r.Difficulty))
            .OrderBy(g => g.Key.Domain, StringComparer.Ordinal).ThenBy(g => g.Key.Difficulty)
            .Select(g => new AccuracyCell(g.Key.Domain, g.Key.Difficulty, g.Count(), g.Count(r => r.Correct)))
            .ToList();
        return new EvaluationReport(results, table);
    }

    /// <summary>The ids the model sees before it writes its response.</summary>
    public static int[] PromptIds(HfTokenizer tokenizer, string? system, string prompt, ChatFormat format)
    {
        ArgumentNullException.ThrowIfNull(tokenizer);
        if (format == ChatFormat.Plain) return tokenizer.Encode(prompt).Ids;
        // The template's own rendering with an empty response, cut where the response would start.
        var encoded = ChatTemplate.Build(tokenizer, system, prompt, "", format);
        return encoded.Ids[..Array.IndexOf(encoded.LossMask, (byte)1)];
    }

    /// <summary>The ids that end an answer: the tokenizer's EOS, <c>&lt;|im_end|&gt;</c> and the model's eos_token_id (those that exist).</summary>
    public static HashSet<int> StopIds(Qwen2ForCausalLM model, HfTokenizer tokenizer)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(tokenizer);
        var ids = new HashSet<int>();
        if (tokenizer.EosTokenId is { } eos) ids.Add(eos);
        if (tokenizer.TokenToId("<|im_end|>") is { } imEnd) ids.Add(imEnd);
        if (model.Config.EosTokenId is { } modelEos) ids.Add(modelEos);
        return ids;
    }
}
