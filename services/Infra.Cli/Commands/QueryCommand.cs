using System.CommandLine;
using System.Globalization;
using System.Text.RegularExpressions;
using Infra.Cli.Connections;
using Infra.Cli.Corpora;
using Infra.Cli.Pipeline;
using Infra.Cli.Terminal;
using Infra.Contracts.Gradients.V1;
using Infra.Lab.Schema;
using Spectre.Console;

namespace Infra.Cli.Commands;

/// <summary>
/// <c>infra query</c>: a prompt and its correct answer, or a query-set file, scored against the store: a top-k table
/// per query and score files (JSON and CSV) in the output folder.
/// </summary>
internal static partial class QueryCommand
{
    public static Command Create(CliContext context, CommonOptions common)
    {
        var prompt = new Option<string?>("--prompt") { Description = "the query's prompt (with --answer)" };
        var answer = new Option<string?>("--answer") { Description = "the correct answer whose log-likelihood f is attributed" };
        var id = new Option<string>("--id") { Description = "id of the --prompt query", DefaultValueFactory = _ => "query" };
        var domain = new Option<string>("--domain") { Description = "domain of the --prompt query (math or code)", DefaultValueFactory = _ => CorpusFields.Math };
        domain.AcceptOnlyFromAmong(CorpusFields.Math, CorpusFields.Code);
        var queries = new Option<string?>("--queries") { Description = "query-set file (JSONL or .parquet, corpus schema; response = the correct answer)" };
        var set = new Option<string>("--set") { Description = "name of the query set on the ScoringService (and of the score files)", DefaultValueFactory = _ => "query" };
        var factors = new Option<string?>("--factors") { Description = "precondition the query gradients with these full-space EK-FAC factors (from 'infra fit --corpus')" };
        var preconditioner = new Option<string?>("--preconditioner") { Description = "score with this projected preconditioner (from 'infra fit --kind'); not with --factors" };
        var topK = new Option<int>("--top-k") { Description = "most helpful and most harmful examples per query", DefaultValueFactory = _ => 10 };
        var command = new Command("query", "Attribute a prompt + answer (or a query-set file) to the indexed corpus: top-k table and score files")
        {
            prompt, answer, id, domain, queries, set, factors, preconditioner, topK,
        };
        CommandRunner.SetAction(command, context, common, async scope =>
        {
            var p = scope.Parse;
            var setName = p.GetValue(set)!;
            if (!NamePattern().IsMatch(setName)) throw new CliException(ExitCodes.Usage, $"--set '{setName}' must match [A-Za-z0-9._-]+");
            if (p.GetValue(factors) is not null && p.GetValue(preconditioner) is not null)
                throw new CliException(ExitCodes.Usage, "--factors and --preconditioner exclude each other: queries preconditioned by full-space EK-FAC are scored without a projected preconditioner");
            if (p.GetValue(topK) < 1) throw new CliException(ExitCodes.Usage, "--top-k must be at least 1");
            IReadOnlyList<Example> examples;
            if (p.GetValue(queries) is { } file)
            {
                if (p.GetValue(prompt) is not null || p.GetValue(answer) is not null) throw new CliException(ExitCodes.Usage, "give either --queries or --prompt with --answer, not both");
                examples = await CorpusFile.LoadAsync(Path.GetFullPath(file, scope.Context.WorkingDirectory), scope.Token).ConfigureAwait(false);
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
            var scores = await QueryScorer.RunAsync(scope.Services, examples, setName, p.GetValue(factors), p.GetValue(preconditioner), p.GetValue(topK), scope.Token).ConfigureAwait(false);
            var (json, csv) = await ScoreFiles.WriteAsync(scope.Settings.Output, scores, scope.Token).ConfigureAwait(false);
            scope.WriteJson(new { Command = "query", scores.QuerySet, scores.Factors, scores.Preconditioner, Files = new { Json = json, Csv = csv }, scores.Queries });
            if (!scope.Json)
            {
                foreach (var q in scores.Queries)
                {
                    var table = new Table { Title = new TableTitle($"{Markup.Escape(q.QueryId)} ({Markup.Escape(q.Domain)}, f = {q.Measurement.ToString("F3", CultureInfo.InvariantCulture)}): most helpful of {q.Scored}") };
                    table.AddColumns("#", "example", "domain", "difficulty", "score", "normalized");
                    foreach (var (row, rank) in q.Top.Select((r, i) => (r, i + 1)))
                        table.AddRow(rank.ToString(CultureInfo.InvariantCulture), Markup.Escape(row.ExampleId), Markup.Escape(row.Domain), row.Difficulty.ToString(CultureInfo.InvariantCulture),
                            row.Score.ToString("G4", CultureInfo.InvariantCulture), double.IsNaN(row.Normalized) ? "" : row.Normalized.ToString("F3", CultureInfo.InvariantCulture));
                    scope.Console.Write(table);
                }
                scope.Say($"[grey]scores[/] {Markup.Escape(json)}, {Markup.Escape(csv)}");
            }
            return ExitCodes.Ok;
        });
        return command;
    }

    [GeneratedRegex("^[A-Za-z0-9._-]+$")]
    private static partial Regex NamePattern();
}
