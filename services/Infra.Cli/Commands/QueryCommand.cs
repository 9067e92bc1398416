using System.CommandLine;
using System.Globalization;
using Infra.Cli.Connections;
using Infra.Cli.Corpora;
using Infra.Cli.Pipeline;
using Infra.Cli.Terminal;
using Infra.Client.Calls;
using Infra.Contracts.Gradients.V1;
using Infra.Core.Errors;
using Infra.Corpus;
using Spectre.Console;

namespace Infra.Cli.Commands;

/// <summary>
/// <c>infra query</c>: a prompt and its correct answer, or a query-set file, scored against the store: a top-k table
/// per query and score files (JSON and CSV) in the output folder.
/// </summary>
internal static class QueryCommand
{
    public static Command Create(CliContext context, CommonOptions common)
    {
        var prompt = new Option<string?>("--prompt") { Description = "the query's prompt (with --answer)" };
        var answer = new Option<string?>("--answer") { Description = "the correct answer whose log-likelihood f is attributed" };
        var id = new Option<string>("--id") { Description = "id of the --prompt query", DefaultValueFactory = _ => "query" };
        // Any name, as training domains are: a science or chat prompt gets its own column in the roll-ups.
        var domain = new Option<string>("--domain") { Description = "domain of the --prompt query (any name: math, code, science, ...)", DefaultValueFactory = _ => CorpusFields.Math };
        domain.Validators.Add(result =>
        {
            if (string.IsNullOrWhiteSpace(result.GetValueOrDefault<string>())) result.AddError("--domain must not be empty");
        });
        var queries = new Option<string?>("--queries") { Description = "query-set file (JSONL or .parquet, corpus schema; response = the correct answer)" };
        var set = new Option<string>("--set") { Description = "name of the query set on the ScoringService (and of the score files)", DefaultValueFactory = _ => "query" };
        var factors = new Option<string?>("--factors")
        {
            Description = "full-space EK-FAC factors (from 'infra fit --corpus') of the exact rerank; without --preconditioner they also precondition stage 1",
        };
        var preconditioner = new Option<string?>("--preconditioner") { Description = "stage 1's projected preconditioner (from 'infra fit --kind'), the better stage 1 ranking" };
        var topK = new Option<int>("--top-k") { Description = "most helpful and most harmful examples per query", DefaultValueFactory = _ => 10 };
        var approximate = new Option<bool>("--approximate") { Description = "stage 1 only: no exact rerank (every score from the compact store, labelled approximate)" };
        var candidates = new Option<int?>("--candidates") { Description = "stage 1 candidates per query and direction reranked exactly (default: 30 % of the store, at most 256)" };
        var command = new Command("query", "Attribute a prompt + answer (or a query-set file) to the indexed corpus: exact top-k tables and score files")
        {
            prompt, answer, id, domain, queries, set, factors, preconditioner, topK, approximate, candidates,
        };
        var reading = new CorpusOptions(withDomain: false); // --domain already names the --prompt query's domain
        reading.AddTo(command);
        CommandRunner.SetAction(command, context, common, async scope =>
        {
            var p = scope.Parse;
            var setName = p.GetValue(set)!;
            try
            {
                Core.Naming.ResourceName.Validate("--set", setName);
            }
            catch (DomainException ex)
            {
                throw new CliException(ExitCodes.Usage, ex.Message);
            }
            if (p.GetValue(topK) < 1) throw new CliException(ExitCodes.Usage, "--top-k must be at least 1");
            if (p.GetValue(candidates) is { } n && n < 1) throw new CliException(ExitCodes.Usage, "--candidates must be at least 1");
            if (p.GetValue(approximate) && p.GetValue(candidates) is not null) throw new CliException(ExitCodes.Usage, "--candidates goes with the exact rerank, not with --approximate");
            IReadOnlyList<Example> examples;
            if (p.GetValue(queries) is { } file)
            {
                if (p.GetValue(prompt) is not null || p.GetValue(answer) is not null) throw new CliException(ExitCodes.Usage, "give either --queries or --prompt with --answer, not both");
                examples = (await CorpusInput.LoadAsync(Path.GetFullPath(file, scope.Context.WorkingDirectory), reading.Read(p, scope.Context.WorkingDirectory), scope.Token)
                    .ConfigureAwait(false)).Examples;
            }
            else if (p.GetValue(prompt) is { } text && p.GetValue(answer) is { } correct && !string.IsNullOrWhiteSpace(text) && !string.IsNullOrWhiteSpace(correct))
            {
                examples = [new Example { Id = p.GetValue(id)!, Prompt = text, Response = correct, Domain = p.GetValue(domain)! }];
            }
            else
            {
                throw new CliException(ExitCodes.Usage, "query needs --queries FILE, or --prompt and --answer (both non-empty)");
            }
            await scope.Services.RequireAsync(ServiceKind.Gradients, scope.Token).ConfigureAwait(false);
            await scope.Services.RequireAsync(ServiceKind.Scoring, scope.Token).ConfigureAwait(false);
            var scores = await QueryScorer.RunAsync(scope.Services, examples, setName, p.GetValue(factors), p.GetValue(preconditioner), p.GetValue(topK),
                exact: !p.GetValue(approximate), p.GetValue(candidates), scope.Token).ConfigureAwait(false);
            var (json, csv) = await ScoreFiles.WriteAsync(scope.Settings.Output, scores, scope.Token).ConfigureAwait(false);
            scope.WriteJson(new
            {
                Command = "query", scores.QuerySet, scores.Factors, scores.Preconditioner, Fidelity = Label(scores.Fidelity), scores.Candidates,
                Files = new { Json = json, Csv = csv }, scores.Queries,
            });
            if (!scope.Json)
            {
                foreach (var q in scores.Queries)
                {
                    var how = scores.Candidates > 0 ? $"{Label(scores.Fidelity)}, reranked from {scores.Candidates} candidates" : Label(scores.Fidelity);
                    var table = new Table
                    {
                        Title = new TableTitle($"{Markup.Escape(q.QueryId)} ({Markup.Escape(q.Domain)}, f = {q.Measurement.ToString("F3", CultureInfo.InvariantCulture)}): most helpful of {q.Scored} ({how})"),
                    };
                    table.AddColumns("#", "example", "domain", "difficulty", "score", "fidelity", "stage 1", "normalized");
                    foreach (var (row, rank) in q.Top.Select((r, i) => (r, i + 1)))
                        table.AddRow(rank.ToString(CultureInfo.InvariantCulture), Markup.Escape(row.ExampleId), Markup.Escape(row.Domain), row.Difficulty.ToString(CultureInfo.InvariantCulture),
                            row.Score.ToString("G4", CultureInfo.InvariantCulture), Label(row.Fidelity).ToLowerInvariant(),
                            double.IsNaN(row.ApproximateScore) ? "" : row.ApproximateScore.ToString("G4", CultureInfo.InvariantCulture),
                            double.IsNaN(row.Normalized) ? "" : row.Normalized.ToString("F3", CultureInfo.InvariantCulture));
                    scope.Console.Write(table);
                }
                scope.Say($"[grey]scores[/] {Markup.Escape(json)}, {Markup.Escape(csv)}");
            }
            return ExitCodes.Ok;
        });
        return command;
    }

    private static string Label(ScoreFidelity fidelity) => fidelity == ScoreFidelity.Exact ? "EXACT" : "APPROXIMATE";

}
