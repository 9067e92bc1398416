using System.CommandLine;
using Infra.Cli.Connections;
using Infra.Cli.Terminal;
using Infra.Client.Calls;
using Infra.Contracts.Aggregation.V1;
using Spectre.Console;

namespace Infra.Cli.Commands;

/// <summary>
/// <c>infra report</c>: the AggregationService writes the HTML report of a registered query set, its charts (SVG, PNG)
/// and every table (CSV, Parquet) to <c>OUT/report-SET</c> (or --folder); the command prints their paths.
/// The folder is a path on the AggregationService's machine (the same as the CLI's when both run locally).
/// </summary>
internal static class ReportCommand
{
    public static Command Create(CliContext context, CommonOptions common)
    {
        var selection = new QuerySelectionOptions();
        var folder = new Option<string?>("--folder") { Description = "report folder (default: OUT/report-SET, OUT being --out)" };
        var topK = new Option<int>("--top-k") { Description = "top and bottom examples and sequences listed", DefaultValueFactory = _ => 10 };
        var heatMaps = new Option<int>("--heat-maps") { Description = "token heat-maps of the most (and least) influential examples", DefaultValueFactory = _ => 5 };
        var title = new Option<string?>("--title") { Description = "the report's title (default: \"Influence report: SET\")" };
        var groupBy = GroupByOption.Create();
        var command = new Command("report", "Write the HTML influence report of a query set (charts, tables as CSV and Parquet) and print its paths")
        {
            folder, topK, heatMaps, title, groupBy,
        };
        selection.AddTo(command);
        CommandRunner.SetAction(command, context, common, async scope =>
        {
            var p = scope.Parse;
            var queries = selection.Read(p);
            if (p.GetValue(topK) < 1) throw new CliException(ExitCodes.Usage, "--top-k must be at least 1");
            if (p.GetValue(heatMaps) < 1) throw new CliException(ExitCodes.Usage, "--heat-maps must be at least 1");
            var target = p.GetValue(folder) is { } named
                ? Path.GetFullPath(named, scope.Context.WorkingDirectory)
                : Path.Combine(scope.Settings.Output, "report-" + QuerySelectionOptions.FileStem(queries.QuerySet));
            var request = new ReportRequest
            {
                Queries = queries,
                OutputFolder = target,
                TopK = (uint)p.GetValue(topK),
                HeatMapExamples = (uint)p.GetValue(heatMaps),
                Title = p.GetValue(title) ?? "",
                GroupBy = { GroupByOption.Parse(p.GetValue(groupBy)) },
            };
            await scope.Services.RequireAsync(ServiceKind.Aggregation, scope.Token).ConfigureAwait(false);
            var response = await scope.WithStatusAsync($"writing the report of '{queries.QuerySet}'", _ =>
                scope.Services.CallAsync(ServiceKind.Aggregation, async () => await scope.Services.Aggregation.ReportAsync(request, cancellationToken: scope.Token), scope.Token)).ConfigureAwait(false);
            scope.WriteJson(new { Command = "report", queries.QuerySet, response.Folder, response.Html, Charts = response.Charts.ToList(), Tables = response.Tables.ToList() });
            if (!scope.Json)
            {
                var table = new Table { Title = new TableTitle($"report of {Markup.Escape(queries.QuerySet)} in {Markup.Escape(response.Folder)}") };
                table.AddColumns("kind", "file");
                table.AddRow("html", Markup.Escape(response.Html));
                foreach (var chart in response.Charts) table.AddRow("chart", Markup.Escape(chart));
                foreach (var file in response.Tables) table.AddRow("table", Markup.Escape(file));
                scope.Console.Write(table);
                scope.Say($"[grey]open[/] {Markup.Escape(new Uri(response.Html).AbsoluteUri)}");
            }
            return ExitCodes.Ok;
        });
        return command;
    }
}
