using System.CommandLine;
using System.Globalization;
using Infra.Cli.Connections;
using Infra.Cli.Corpora;
using Infra.Cli.Terminal;
using Infra.Client.Calls;
using Infra.Client.Pipeline;
using Infra.Contracts.Gradients.V1;
using Spectre.Console;

namespace Infra.Cli.Commands;

/// <summary><c>infra index CORPUS</c>: the corpus's gradients through the GradientService into the ScoringService's store, resumably.</summary>
internal static class IndexCommand
{
    public static Command Create(CliContext context, CommonOptions common)
    {
        var corpus = new Argument<string>("corpus")
        {
            Description = "corpus file: JSONL or .parquet, in the lab schema (id, domain, difficulty, prompt, response) or a layout of --layout; "
                + "conversations (messages, sharegpt) are rendered whole with the checkpoint's own chat template",
        };
        var reading = new CorpusOptions();
        var seed = new Option<ulong>("--seed") { Description = "seed of the projections of a new store", DefaultValueFactory = _ => 0 };
        var tokenFactors = new Option<bool>("--token-factors") { Description = "keep per-token factors in a new store (token scores, K-FAC/EK-FAC fits)", DefaultValueFactory = _ => true };
        var dtype = new Option<string>("--store-dtype") { Description = "dtype of a new store: float32, bfloat16, float16 or int8", DefaultValueFactory = _ => "bfloat16" };
        dtype.AcceptOnlyFromAmong("float32", "bfloat16", "float16", "int8");
        var truncate = new Option<bool>("--truncate") { Description = "cut over-long examples instead of failing" };
        var partition = new Option<string?>("--partition")
        {
            Description = "index only partition i/n (0-based) of the corpus, by a stable hash of each id: several machines (an Indexed Job's pods) "
                + "index one corpus into one store, each partition resumable on its own; default: the whole corpus",
        };
        partition.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<string?>() is { } text)
            {
                try
                {
                    CorpusPartition.Parse(text);
                }
                catch (FormatException error)
                {
                    result.AddError(error.Message);
                }
            }
        });
        var command = new Command("index", "Stream a corpus through the GradientService into the ScoringService's store; a rerun sends only what the store lacks")
        {
            corpus, seed, tokenFactors, dtype, truncate, partition,
        };
        var batchesPerUnit = new BatchesPerUnitOption();
        batchesPerUnit.AddTo(command);
        reading.AddTo(command);
        var conversationLoss = new ConversationLossOptions();
        conversationLoss.AddTo(command);
        CommandRunner.SetAction(command, context, common, async scope =>
        {
            var path = Path.GetFullPath(scope.Parse.GetValue(corpus)!, scope.Context.WorkingDirectory);
            var loaded = await CorpusInput.LoadTrainingAsync(path, reading.Read(scope.Parse, scope.Context.WorkingDirectory), conversationLoss.Loss(scope.Parse),
                scope.Token).ConfigureAwait(false);
            // The whole file is read (and its difficulty scheme fixed, e.g. bin edges) before the partition is taken, so every
            // partition saves the same scheme into the shared store.
            var part = scope.Parse.GetValue(partition) is { } text ? CorpusPartition.Parse(text) : CorpusPartition.All;
            var examples = part.Select(loaded.Examples, e => e.Id);
            await scope.Services.RequireAsync(ServiceKind.Scoring, scope.Token).ConfigureAwait(false);
            await scope.Services.RequireAsync(ServiceKind.Gradients, scope.Token).ConfigureAwait(false);
            var options = new IndexSettings
            {
                ProjectionDim = scope.Settings.ProjectionDim,
                BatchSize = scope.Settings.BatchSize,
                BatchesPerUnit = batchesPerUnit.Read(scope.Parse),
                Seed = scope.Parse.GetValue(seed),
                TokenFactors = scope.Parse.GetValue(tokenFactors),
                StoreDtype = ParseDtype(scope.Parse.GetValue(dtype)!),
                Truncate = scope.Parse.GetValue(truncate),
                Difficulty = loaded.SchemeToSave,
            };
            scope.Say(part.Count == 1
                ? $"[grey]corpus[/] {Markup.Escape(path)}: {examples.Count} examples"
                : $"[grey]corpus[/] {Markup.Escape(path)}: partition {part} has {examples.Count} of {loaded.Examples.Count} examples");
            scope.Say($"[grey]difficulty[/] {Markup.Escape(loaded.Scheme.Describe())}; {loaded.Unlabelled} unlabelled");
            var forwardTo = await ForwardTargetsAsync(scope).ConfigureAwait(false);
            var result = await scope.WithProgressAsync("index", examples.Count, progress =>
                scope.Services.Pipeline.IndexAsync(examples, options, progress, scope.Token, forwardTo)).ConfigureAwait(false);
            scope.WriteJson(new { Command = "index", Corpus = path, Partition = part.ToString(), Difficulty = loaded.Scheme.Describe(), loaded.Unlabelled, Result = result });
            if (!scope.Json)
            {
                var table = new Table().AddColumns("corpus", "already stored", "sent", "stored", "skipped", "in the store", "tokens", "seconds");
                table.AddRow(Cell(result.CorpusExamples), Cell(result.AlreadyStored), Cell(result.Sent), Cell((long)result.Stored), Cell((long)result.Skipped),
                    Cell((long)result.StoreExamples), Cell(result.Tokens), result.Seconds.ToString("F1", CultureInfo.InvariantCulture));
                scope.Console.Write(table);
            }
            return ExitCodes.Ok;
        });
        return command;
    }

    // The shards as the GradientService reaches them, shard for shard with the CLI's own list: each example is forwarded
    // to the shard its id's hash names, the one the CLI's MissingExamples asks about it.
    private static async Task<IReadOnlyList<Uri>> ForwardTargetsAsync(CommandScope scope)
    {
        var shards = await scope.Services.ScoringShardsAsync(scope.Token).ConfigureAwait(false);
        var forward = ReferenceEquals(scope.Settings.ScoringForwardAddress, scope.Settings.ScoringAddress)
            ? shards.Select(s => s.Address).ToList()
            : await scope.Settings.ScoringForwardAddress.ResolveAsync(scope.Token).ConfigureAwait(false);
        if (forward.Count != shards.Count)
            throw new CliException(ExitCodes.Usage, $"Scoring:ForwardAddress names {forward.Count} shard(s) ({scope.Settings.ScoringForwardAddress}) "
                + $"but Scoring:Address {shards.Count} ({scope.Settings.ScoringAddress}): give one forward address per shard, in the same order");
        return forward;
    }

    private static string Cell(long value) => value.ToString("N0", CultureInfo.InvariantCulture);

    private static WireDtype ParseDtype(string name) => name switch
    {
        "float32" => WireDtype.Float32,
        "float16" => WireDtype.Float16,
        "int8" => WireDtype.Int8,
        _ => WireDtype.Bfloat16,
    };
}
