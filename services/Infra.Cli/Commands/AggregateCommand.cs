using System.CommandLine;
using System.Globalization;
using System.Text;
using Grpc.Core;
using Infra.Cli.Connections;
using Infra.Cli.Terminal;
using Infra.Client.Calls;
using Infra.Client.Pipeline;
using Infra.Contracts.Aggregation.V1;
using Spectre.Console;

namespace Infra.Cli.Commands;

/// <summary>
/// <c>infra aggregate</c>: the AggregationService's roll-up of a registered query set — a domain x difficulty table
/// (or any one or two columns with --group-by) per query domain and the cross-domain matrix — printed as tables with the
/// store's difficulty scheme line and
/// written to <c>aggregate-SET.json</c> (everything) and <c>aggregate-SET.csv</c> (one row per cell) in the output folder.
/// </summary>
internal static class AggregateCommand
{
    public static Command Create(CliContext context, CommonOptions common)
    {
        var selection = new QuerySelectionOptions();
        var bootstrap = new Option<int>("--bootstrap") { Description = "bootstrap resamples for each cell's CI of the mean", DefaultValueFactory = _ => 1000 };
        var confidence = new Option<double>("--confidence") { Description = "confidence level of the CI, in (0, 1)", DefaultValueFactory = _ => 0.95 };
        var seed = new Option<ulong>("--seed") { Description = "bootstrap seed (the same seed gives the same CIs)", DefaultValueFactory = _ => 0 };
        var topK = new Option<int>("--top-k") { Description = "most helpful and most harmful examples per query domain", DefaultValueFactory = _ => 10 };
        var groupBy = GroupByOption.Create();
        var command = new Command("aggregate", "Roll a query set's influence up by training domain and difficulty, or by any one or two columns (per query domain, and the cross-domain matrix)")
        {
            bootstrap, confidence, seed, topK, groupBy,
        };
        selection.AddTo(command);
        CommandRunner.SetAction(command, context, common, async scope =>
        {
            var p = scope.Parse;
            var queries = selection.Read(p);
            if (p.GetValue(bootstrap) < 1) throw new CliException(ExitCodes.Usage, "--bootstrap must be at least 1");
            if (p.GetValue(confidence) is var level && !(level > 0 && level < 1)) throw new CliException(ExitCodes.Usage, "--confidence must be in (0, 1)");
            if (p.GetValue(topK) < 1) throw new CliException(ExitCodes.Usage, "--top-k must be at least 1");
            var request = new AggregateRequest
            {
                Queries = queries,
                BootstrapSamples = (uint)p.GetValue(bootstrap),
                Confidence = p.GetValue(confidence),
                Seed = p.GetValue(seed),
                TopK = (uint)p.GetValue(topK),
                GroupBy = { GroupByOption.Parse(p.GetValue(groupBy)) },
            };
            await scope.Services.RequireAsync(ServiceKind.Aggregation, scope.Token).ConfigureAwait(false);
            var result = await scope.WithStatusAsync($"aggregating '{queries.QuerySet}'", update =>
                scope.Services.CallAsync(ServiceKind.Aggregation, () => AggregationCalls.AggregateAsync(scope.Services.Aggregation, request,
                    p => update(string.Create(CultureInfo.InvariantCulture, $"aggregating '{queries.QuerySet}': {p.Examples} example rows, {p.Scores} scores")),
                    scope.Token), scope.Token)).ConfigureAwait(false);

            var document = Document(queries, result);
            Directory.CreateDirectory(scope.Settings.Output);
            var stem = Path.Combine(scope.Settings.Output, "aggregate-" + QuerySelectionOptions.FileStem(queries.QuerySet));
            var json = stem + ".json";
            var csv = stem + ".csv";
            await File.WriteAllTextAsync(json, Infra.Core.IO.ProjectJson.Serialize(document, AggregateFileVersion), scope.Token).ConfigureAwait(false);
            await File.WriteAllTextAsync(csv, Csv(result.CrossDomain, Label(result.Fidelity)), scope.Token).ConfigureAwait(false);
            scope.WriteJson(new { Command = "aggregate", Files = new { Json = json, Csv = csv }, Result = document });
            if (!scope.Json)
            {
                var columns = Columns(result);
                scope.Say($"[grey]grouped by[/] {Markup.Escape(columns.Subgroup is null ? columns.Group : $"{columns.Group} x {columns.Subgroup}")}; "
                    + $"[grey]difficulty levels:[/] {Markup.Escape(result.Difficulty is { } scheme ? scheme.Description : "given as integer levels (0 = unlabelled)")}");
                foreach (var table in result.Tables) scope.Console.Write(DomainDifficultyTable(table, request.Confidence, columns));
                scope.Console.Write(CrossDomainMatrix(result.CrossDomain, columns));
                scope.Say($"[grey]{Markup.Escape(result.Note)}[/]");
                scope.Say($"[grey]aggregate[/] {Markup.Escape(json)}, {Markup.Escape(csv)}");
            }
            return ExitCodes.Ok;
        });
        return command;
    }

    /// <summary>Format of the aggregate-*.json file: the document below with a format_version.</summary>
    private const int AggregateFileVersion = 1;

    /// <summary>The JSON form of the result (snake_case keys through <see cref="JsonOutput"/>); also the file's content (with its format_version).</summary>
    private static object Document(QuerySelection queries, AggregateResult result) => new
    {
        queries.QuerySet,
        Preconditioner = queries.Preconditioner.Length > 0 ? queries.Preconditioner : null,
        result.Normalized,
        GroupBy = result.GroupBy.ToList(),
        Difficulty = result.Difficulty?.Description,
        result.Examples,
        result.Queries,
        result.Note,
        Fidelity = Label(result.Fidelity),
        TopFidelity = Label(result.TopFidelity),
        Tables = result.Tables.Select(t => new
        {
            t.QueryDomain,
            Cells = t.Cells.Select(Cell).ToList(),
            Top = t.Top.Select(Example).ToList(),
            Bottom = t.Bottom.Select(Example).ToList(),
        }).ToList(),
        CrossDomain = result.CrossDomain.Select(Cell).ToList(),
    };

    private static object Cell(RollupCell c) => new
    {
        c.QueryDomain, c.TrainingDomain, c.Difficulty, c.Group, c.Subgroup, c.AllSubgroups, c.Statistics.N, c.Statistics.Mean, c.Statistics.Median, c.Statistics.Sum,
        c.Statistics.SharePositive, c.Statistics.CiLow, c.Statistics.CiHigh,
    };

    private static object Example(Contracts.Scoring.V1.ScoredExample e) => new { e.Id, e.Domain, e.Difficulty, e.Score, e.Normalized, Fidelity = Label(e.Fidelity) };

    // Roll-ups are of stage 1 scores; an unlabelled value is approximate.
    private static string Label(Contracts.Gradients.V1.ScoreFidelity fidelity) =>
        fidelity == Contracts.Gradients.V1.ScoreFidelity.Exact ? "exact" : "approximate";

    private static string Csv(IEnumerable<RollupCell> cells, string fidelity)
    {
        var text = new StringBuilder("query_domain,training_domain,difficulty,group,subgroup,all_subgroups,n,mean,median,sum,share_positive,ci_low,ci_high,fidelity\n");
        foreach (var c in cells)
        {
            var s = c.Statistics;
            text.Append(CultureInfo.InvariantCulture, $"{c.QueryDomain},{c.TrainingDomain},{c.Difficulty},{CsvText(c.Group)},{CsvText(c.Subgroup)},{(c.AllSubgroups ? "true" : "false")},{s.N},{R(s.Mean)},{R(s.Median)},{R(s.Sum)},{R(s.SharePositive)},{R(s.CiLow)},{R(s.CiHigh)},{fidelity}\n");
        }
        return text.ToString();
    }

    private static string R(double value) => value.ToString("R", CultureInfo.InvariantCulture);

    private static string G(double value) => double.IsNaN(value) ? "" : value.ToString("G4", CultureInfo.InvariantCulture);

    // Group values are free text: quoted when a comma or quote would split the row.
    private static string CsvText(string value) =>
        value.IndexOfAny([',', '"', '\n', '\r']) < 0 ? value : "\"" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";

    // A cell's subgroup as the tables show it: "all" for the cell over every subgroup ("unlabelled" stays a row of its own).
    private static string SubgroupLabel(RollupCell c) => c.AllSubgroups ? "all" : c.Subgroup;

    // The tables' column headings: "domain"/"difficulty" by default, else the grouping's names (one column: no subgroup).
    private static (string Group, string? Subgroup) Columns(AggregateResult result) =>
        result.GroupBy.Count switch
        {
            0 => ("domain", "difficulty"),
            1 => (result.GroupBy[0], null),
            _ => (result.GroupBy[0], result.GroupBy[1]),
        };

    private static Table DomainDifficultyTable(QueryDomainTable table, double confidence, (string Group, string? Subgroup) columns)
    {
        var percent = (confidence * 100).ToString("G3", CultureInfo.InvariantCulture);
        var by = columns.Subgroup is null ? columns.Group : $"{columns.Group} x {columns.Subgroup}";
        var view = new Table { Title = new TableTitle($"influence on {Markup.Escape(table.QueryDomain)} queries, by {Markup.Escape(by == "domain x difficulty" ? "training domain x difficulty" : by)}") };
        view.AddColumn(Markup.Escape(columns.Group));
        if (columns.Subgroup is not null) view.AddColumn(Markup.Escape(columns.Subgroup));
        view.AddColumns("n", "mean", "median", $"{percent}% CI", "share > 0", "sum");
        foreach (var c in table.Cells)
        {
            var s = c.Statistics;
            var ci = double.IsNaN(s.CiLow) ? "" : $"[{G(s.CiLow)}, {G(s.CiHigh)}]";
            var stats = new[] { s.N.ToString(CultureInfo.InvariantCulture), G(s.Mean), G(s.Median), Markup.Escape(ci), s.SharePositive.ToString("P0", CultureInfo.InvariantCulture), G(s.Sum) };
            view.AddRow((columns.Subgroup is null ? [Markup.Escape(c.Group)] : new[] { Markup.Escape(c.Group), Markup.Escape(SubgroupLabel(c)) }).Concat(stats).ToArray());
        }
        if (table.Top.Count > 0)
            view.Caption = new TableTitle("most helpful: " + Markup.Escape(string.Join(", ", table.Top.Take(5).Select(e => $"{e.Id} ({G(e.Score)})")))
                + (table.Bottom.Count > 0 ? "\nmost harmful: " + Markup.Escape(string.Join(", ", table.Bottom.Take(5).Select(e => $"{e.Id} ({G(e.Score)})"))) : ""));
        return view;
    }

    // Transposed (rows: group x subgroup; one column per query domain) so it fits 80 columns. Rows keep the service's
    // order (groups ordinal or numeric, "unlabelled" last, each group's all-subgroups row after its subgroups).
    private static Table CrossDomainMatrix(IReadOnlyCollection<RollupCell> cells, (string Group, string? Subgroup) columns)
    {
        var queryDomains = cells.Select(c => c.QueryDomain).Distinct(StringComparer.Ordinal).ToList();
        var by = columns.Subgroup is null ? columns.Group : $"{columns.Group} x {columns.Subgroup}";
        var view = new Table { Title = new TableTitle($"cross-domain matrix: mean influence of {Markup.Escape(by == "domain x difficulty" ? "training domain x difficulty" : by)} on each query domain") };
        view.AddColumn(Markup.Escape(columns.Group));
        if (columns.Subgroup is not null) view.AddColumn(Markup.Escape(columns.Subgroup));
        foreach (var domain in queryDomains) view.AddColumn(new TableColumn($"on {Markup.Escape(domain)}").RightAligned());
        foreach (var row in cells.GroupBy(c => (c.Group, c.Subgroup, c.AllSubgroups)))
        {
            var byQueryDomain = row.ToDictionary(c => c.QueryDomain, StringComparer.Ordinal);
            var key = columns.Subgroup is null ? [Markup.Escape(row.Key.Group)] : new[] { Markup.Escape(row.Key.Group), Markup.Escape(SubgroupLabel(row.First())) };
            view.AddRow(key.Concat(queryDomains.Select(d => byQueryDomain.TryGetValue(d, out var c) ? G(c.Statistics.Mean) : "")).ToArray());
        }
        return view;
    }
}
