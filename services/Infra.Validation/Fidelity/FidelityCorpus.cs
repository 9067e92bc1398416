using Infra.Core.Text;
using Infra.Corpus;
using Infra.Lab.Corpus;
using Infra.Torch.Gradients;

namespace Infra.Validation.Fidelity;

/// <summary>
/// The data of the fidelity run: training examples from the default model's training split, regenerated exactly as
/// <c>lab build-default</c> does (CorpusBuilder, seed, 8,000 generated, chats of at most 256 tokens, 600 per cell) but
/// without training anything, and the held-out problems the model answers correctly as queries; both taken
/// round-robin over domain x difficulty and rendered in the Qwen2.5 chat template (loss on the response).
/// </summary>
public sealed record FidelityCorpus(IReadOnlyList<TokenizedExample> Training, IReadOnlyList<TokenizedExample> Queries)
{
    // The default model's recipe (DefaultModelRecipe.Full): what it generated, capped and kept.
    private const int GeneratedTrain = 8000;
    private const int GeneratedHeldOut = 600;
    private const int MaxTokens = 256;
    private const int TrainPerCell = 600;

    /// <summary>Builds the corpus of <paramref name="options"/> with <paramref name="tokenizer"/>.</summary>
    /// <exception cref="InvalidOperationException">Fewer examples or queries than asked for.</exception>
    public static FidelityCorpus Load(FidelityOptions options, HfTokenizer tokenizer)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(tokenizer);
        var generated = CorpusBuilder.Build(new CorpusBuildOptions
        {
            Seed = options.CorpusSeed, TrainCount = GeneratedTrain, HeldOutCount = GeneratedHeldOut, QueriesPerDomain = 0,
        });
        var kept = generated.Train
            .Select(e => (Domain: CorpusFields.DomainName(e.Domain), e.Difficulty, Encoded: Encode(tokenizer, e.Id, e.Prompt, e.Response)))
            .Where(x => x.Encoded.Ids.Length <= MaxTokens)
            .GroupBy(x => (x.Domain, x.Difficulty)).OrderBy(g => g.Key.Domain, StringComparer.Ordinal).ThenBy(g => g.Key.Difficulty)
            .SelectMany(g => g.Take(TrainPerCell));
        var training = RoundRobin(kept, options.Examples);
        var correct = Read(Path.Combine(options.QueriesFolder, "queries-math.jsonl"))
            .Concat(Read(Path.Combine(options.QueriesFolder, "queries-code.jsonl")))
            .Select(r => (r.Domain, r.Difficulty, Encoded: Encode(tokenizer, r.Id, r.Prompt, r.Response)));
        var queries = RoundRobin(correct, options.Queries);
        if (training.Count < options.Examples || queries.Count < options.Queries)
            throw new InvalidOperationException($"asked for {options.Examples} examples and {options.Queries} queries, found {training.Count} and {queries.Count}");
        return new FidelityCorpus(training, queries);
    }

    private static TokenizedExample Encode(HfTokenizer tokenizer, string id, string prompt, string response)
    {
        var encoded = ChatTemplate.Build(tokenizer, null, prompt, response, ChatFormat.Qwen25);
        return new TokenizedExample(id, encoded.Ids, encoded.LossMask);
    }

    private static IEnumerable<CorpusRecord> Read(string path) =>
        File.Exists(path) ? CorpusReader.ReadFile(path).Records : throw new FileNotFoundException($"no query file at {path}", path);

    // Round-robin over cells ordered by difficulty, then domain name, as the demo's sample (train-sample.jsonl) is drawn.
    private static List<TokenizedExample> RoundRobin(IEnumerable<(string Domain, int Difficulty, TokenizedExample Encoded)> items, int count)
    {
        var groups = items.GroupBy(x => (x.Domain, x.Difficulty))
            .OrderBy(g => g.Key.Difficulty).ThenBy(g => g.Key.Domain, StringComparer.Ordinal)
            .Select(g => g.Select(x => x.Encoded));
        return Statistics.RoundRobin.Take(groups, count);
    }
}
