using Infra.Core.Text;
using Infra.Corpus;
using Infra.Lab.Corpus;
using Infra.Torch.Gradients;
using Infra.Torch.Training;

namespace Infra.Validation.Lds;

/// <summary>
/// The LDS run's data: a generated lab corpus rendered in the Qwen2.5 chat template with the given tokenizer,
/// capped in length and balanced over domain x difficulty: the training examples and the held-out query problems
/// (prompt + reference answer; the measurement is the answer's mean log-likelihood).
/// </summary>
public sealed record LdsCorpus(IReadOnlyList<TokenizedExample> Training, IReadOnlyList<TokenizedExample> Queries)
{
    /// <summary>Generates and encodes the corpus of <paramref name="options"/> with <paramref name="tokenizer"/>.</summary>
    /// <exception cref="InvalidOperationException">Too few examples fit in <see cref="LdsOptions.MaxTokens"/>.</exception>
    public static LdsCorpus Build(LdsOptions options, HfTokenizer tokenizer)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(tokenizer);
        // Generate generously: the length cap drops many of the long code traces.
        var generated = CorpusBuilder.Build(new CorpusBuildOptions
        {
            Seed = options.CorpusSeed,
            TrainCount = Math.Max(100, options.TrainExamples * 10),
            HeldOutCount = Math.Max(40, options.Queries * 10),
            QueriesPerDomain = 0,
        });
        var training = Balanced(Encode(generated.Train, tokenizer, options.MaxTokens), options.TrainExamples);
        var queries = Balanced(Encode(generated.HeldOut, tokenizer, options.MaxTokens), options.Queries);
        if (training.Count < options.TrainExamples || queries.Count < options.Queries)
            throw new InvalidOperationException(
                $"only {training.Count} training examples and {queries.Count} queries render to <= {options.MaxTokens} tokens; raise MaxTokens");
        return new LdsCorpus(training, queries);
    }

    /// <summary>The training examples as the trainer takes them (weight 1).</summary>
    public IReadOnlyList<SftExample> TrainingFor(IEnumerable<int> indices) =>
        indices.Select(i => new SftExample(Training[i].Id, Training[i].Ids, Training[i].LossMask)).ToList();

    private static IEnumerable<(LabExample Example, TokenizedExample Encoded)> Encode(IEnumerable<LabExample> split, HfTokenizer tokenizer, int maxTokens) =>
        split.Select(e =>
        {
            var encoded = ChatTemplate.Build(tokenizer, null, e.Prompt, e.Response, ChatFormat.Qwen25);
            return (e, new TokenizedExample(e.Id, encoded.Ids, encoded.LossMask));
        }).Where(x => x.Item2.Ids.Length <= maxTokens);

    // Round-robin over domain x difficulty cells, so the sample is as balanced as the cap allows.
    private static List<TokenizedExample> Balanced(IEnumerable<(LabExample Example, TokenizedExample Encoded)> items, int count)
    {
        var groups = items.GroupBy(x => (x.Example.Difficulty, x.Example.Domain)).OrderBy(g => g.Key.Difficulty).ThenBy(g => g.Key.Domain)
            .Select(g => g.Select(x => x.Encoded));
        return Statistics.RoundRobin.Take(groups, count);
    }
}
