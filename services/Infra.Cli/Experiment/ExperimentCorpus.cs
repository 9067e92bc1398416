using ChatFormat = Infra.Core.Text.ChatFormat;
using Infra.Cli.Lab;
using Infra.Contracts.Gradients.V1;
using Infra.Core.Text;
using Infra.Corpus;
using Infra.Lab.Corpus;
using Infra.Lab.Experiments;
using Infra.Torch.Evaluation;
using Infra.Torch.Gradients;

namespace Infra.Cli.Experiment;

/// <summary>
/// The experiment's data, all from the embedded default's recipe so that the default model can serve as the influence
/// model: the lab corpus of the default's seed encoded with the default's tokenizer and capped at its length;
/// the training set is a per-cell prefix of the default's own training split; the influence queries are the held-out
/// problems the default answers correctly (its query files); the evaluation set is the default's held-out split
/// without those queries, so the problems that chose the weights never judge them.
/// </summary>
internal sealed record ExperimentCorpus(
    IReadOnlyList<ExperimentExample> Train,
    IReadOnlyList<LabExample> Evaluation,
    IReadOnlyList<Example> Queries,
    HfTokenizer Tokenizer)
{
    /// <summary>Held-out problems per cell the default model was evaluated on (its recipe's cap).</summary>
    private const int DefaultHeldOutPerCell = 40;

    /// <summary>Builds the corpus of <paramref name="config"/> from the default model in <paramref name="defaultFolder"/>.</summary>
    public static ExperimentCorpus Build(ExperimentConfig config, string defaultFolder)
    {
        var tokenizer = HfTokenizer.LoadFolder(Path.Combine(defaultFolder, DefaultModelFiles.Model));
        var generated = CorpusBuilder.Build(new CorpusBuildOptions
        {
            Seed = config.CorpusSeed,
            TrainCount = config.GeneratedTrain,
            HeldOutCount = config.GeneratedHeldOut,
            QueriesPerDomain = 0,
        });
        var train = CellBalance.TakePerCell(
                generated.Train.Select(e => (Example: e, Encoded: Encode(tokenizer, e.Prompt, e.Response))).Where(e => e.Encoded.Ids.Length <= config.MaxTokens),
                e => e.Example, config.TrainPerCell)
            .Select(e => new ExperimentExample(e.Example, CellOf(e.Example), e.Encoded,
                e.Example.Spans.Count == 0 ? e.Encoded : Encode(tokenizer, e.Example.Prompt, ExplorationAblation.Strip(e.Example.Response, e.Example.Spans))))
            .ToList();

        var queryRecords = ReadQueries(defaultFolder, DefaultModelFiles.MathQueries, config.QueriesPerDomain)
            .Concat(ReadQueries(defaultFolder, DefaultModelFiles.CodeQueries, config.QueriesPerDomain)).ToList();
        var queryIds = queryRecords.Select(q => q.Id).ToHashSet(StringComparer.Ordinal);
        // The default's evaluation set (the first 40 short problems per cell), then without the influence queries.
        var heldOut = CellBalance.TakePerCell(generated.HeldOut.Where(e => Encode(tokenizer, e.Prompt, e.Response).Ids.Length <= config.MaxTokens), e => e, DefaultHeldOutPerCell);
        var evaluation = CellBalance.TakePerCell(heldOut.Where(e => !queryIds.Contains(e.Id)), e => e, config.EvalPerCell);
        var queries = queryRecords.Select(r => new Example
        {
            Id = r.Id, Prompt = r.Prompt, Response = r.Response, Domain = r.Domain, Difficulty = r.Difficulty,
        }).ToList();
        return new ExperimentCorpus(train, evaluation, queries, tokenizer);
    }

    /// <summary>The evaluation items: greedy generation judged by <see cref="AnswerChecker"/>, as the lab evaluates.</summary>
    public IEnumerable<EvaluationItem> EvaluationItems() =>
        Evaluation.Select(e => new EvaluationItem(e.Id, e.Prompt, text => AnswerChecker.Check(e, text).Correct, CorpusFields.DomainName(e.Domain), e.Difficulty));

    /// <summary>
    /// The evaluation problems with their reference responses, as the measurement f reads them; with
    /// <paramref name="stripped"/>, the tagged exploratory spans are removed first (problems without spans are unchanged).
    /// </summary>
    public IReadOnlyList<TokenizedExample> EvaluationReferences(bool stripped) =>
        Evaluation.Select(e =>
        {
            var response = stripped && e.Spans.Count > 0 ? ExplorationAblation.Strip(e.Response, e.Spans) : e.Response;
            var encoded = Encode(Tokenizer, e.Prompt, response);
            return new TokenizedExample(e.Id, encoded.Ids, encoded.LossMask);
        }).ToList();

    /// <summary>The cells of the evaluation set, sorted by domain then difficulty.</summary>
    public IReadOnlyList<CellKey> EvaluationCells() =>
        Evaluation.Select(CellOf).Distinct().OrderBy(c => c.Domain, StringComparer.Ordinal).ThenBy(c => c.Difficulty).ToList();

    public static CellKey CellOf(LabExample e) => new(CorpusFields.DomainName(e.Domain), e.Difficulty);

    private static EncodedExample Encode(HfTokenizer tokenizer, string prompt, string response) =>
        ChatTemplate.Build(tokenizer, null, prompt, response, ChatFormat.Qwen25);

    private static List<CorpusRecord> ReadQueries(string defaultFolder, string file, int? perDomain)
    {
        var path = Path.Combine(defaultFolder, file);
        if (!File.Exists(path)) throw new FileNotFoundException($"the default model's query set {path} is missing; run `infra lab build-default`", path);
        var records = CorpusReader.ReadFile(path).Records;
        return perDomain is { } n ? CellBalance.RoundRobin(records, r => (r.Domain, r.Difficulty), n) : records.ToList();
    }
}
