using System.CommandLine;
using System.Globalization;
using Infra.Cli.Connections;
using Infra.Cli.Terminal;
using Infra.Client.Calls;
using Infra.Contracts.Aggregation.V1;
using Spectre.Console;

namespace Infra.Cli.Commands;

/// <summary>
/// <c>infra reweight</c>: per-example training weights from a query set's influence roll-up (difficulty flip by any
/// --group-by, influence-proportional or top fraction) or the paper's literal rule (paper-rule: no influence), computed by the AggregationService, which writes weights.jsonl, cells.csv
/// and, with --corpus, the weighted (and with --resample the resampled) corpus to <c>OUT/reweight-SET</c> (or --folder).
/// Prints the per-cell table (share before and after, mean weight, mean influence), the files and the formula applied.
/// </summary>
internal static class ReweightCommand
{
    /// <summary>The --strategy words.</summary>
    public const string DifficultyFlip = "difficulty-flip", Proportional = "proportional", TopFraction = "top-fraction", PaperRule = "paper-rule";

    public static Command Create(CliContext context, CommonOptions common)
    {
        var selection = new QuerySelectionOptions();
        var strategy = new Option<string>("--strategy") { Description = "how weights follow influence; paper-rule: the paper's literal rule (hard math and easy code up-weighted), no influence used", DefaultValueFactory = _ => DifficultyFlip };
        strategy.AcceptOnlyFromAmong(DifficultyFlip, Proportional, TopFraction, PaperRule);
        var groupBy = GroupByOption.Create();
        var harder = new Option<string?>("--harder-domains") { Description = "paper-rule: comma-separated domains whose hard examples are up-weighted (default: math)" };
        var easier = new Option<string?>("--easier-domains") { Description = "paper-rule: comma-separated domains whose easy examples are up-weighted (default: code)" };
        var strength = new Option<double>("--strength") { Description = "difficulty-flip: exponent on the standardised cell influence (default 1); proportional: power of the influence (default 1); 0 = default", DefaultValueFactory = _ => 0 };
        var minWeight = new Option<double>("--min-weight") { Description = "difficulty-flip: lower clamp (default 0.25); proportional: floor as a fraction of the mean (default 0.1); 0 = default", DefaultValueFactory = _ => 0 };
        var maxWeight = new Option<double>("--max-weight") { Description = "difficulty-flip: upper clamp (default 4); 0 = default", DefaultValueFactory = _ => 0 };
        var fraction = new Option<double>("--fraction") { Description = "top-fraction: share of examples kept, in (0, 1] (default 0.5); 0 = default", DefaultValueFactory = _ => 0 };
        var queryDomain = new Option<string>("--query-domain") { Description = "whose influence drives the weights: own (each example's own domain's queries) or all (every query)", DefaultValueFactory = _ => "own" };
        queryDomain.AcceptOnlyFromAmong("own", "all");
        var corpus = new Option<string?>("--corpus") { Description = "corpus JSONL whose records get a \"weight\" field (a path the AggregationService can read); default: weights only" };
        var folder = new Option<string?>("--folder") { Description = "output folder (default: OUT/reweight-SET, OUT being --out)" };
        var resample = new Option<bool>("--resample") { Description = "also write a resampled corpus (weights as expected copies); needs --corpus" };
        var seed = new Option<ulong>("--seed") { Description = "seed of the resampling", DefaultValueFactory = _ => 0 };
        var command = new Command("reweight", "Turn a query set's influence into per-example training weights (and a weighted corpus)")
        {
            strategy, strength, minWeight, maxWeight, fraction, queryDomain, corpus, folder, resample, seed, groupBy, harder, easier,
        };
        selection.AddTo(command);
        CommandRunner.SetAction(command, context, common, async scope =>
        {
            var p = scope.Parse;
            var queries = selection.Read(p);
            foreach (var (option, value) in new[] { (strength, p.GetValue(strength)), (minWeight, p.GetValue(minWeight)), (maxWeight, p.GetValue(maxWeight)) })
                if (!(value >= 0 && double.IsFinite(value))) throw new CliException(ExitCodes.Usage, $"{option.Name} must be a finite number >= 0 (0 = the strategy's default)");
            if (p.GetValue(fraction) is var f && !(f >= 0 && f <= 1)) throw new CliException(ExitCodes.Usage, "--fraction must be in (0, 1] (0 = the default 0.5)");
            var corpusPath = p.GetValue(corpus) is { } c ? Path.GetFullPath(c, scope.Context.WorkingDirectory) : "";
            if (p.GetValue(resample) && corpusPath.Length == 0) throw new CliException(ExitCodes.Usage, "--resample needs --corpus (the records to resample)");
            var target = p.GetValue(folder) is { } named
                ? Path.GetFullPath(named, scope.Context.WorkingDirectory)
                : Path.Combine(scope.Settings.Output, "reweight-" + QuerySelectionOptions.FileStem(queries.QuerySet));
            var request = new ReweightRequest
            {
                Queries = queries,
                Strategy = p.GetValue(strategy) switch
                {
                    Proportional => ReweightStrategy.Proportional,
                    TopFraction => ReweightStrategy.TopFraction,
                    PaperRule => ReweightStrategy.PaperRule,
                    _ => ReweightStrategy.DifficultyFlip,
                },
                Strength = p.GetValue(strength),
                MinWeight = p.GetValue(minWeight),
                MaxWeight = p.GetValue(maxWeight),
                Fraction = p.GetValue(fraction),
                QueryDomain = p.GetValue(queryDomain) == "all" ? "all" : "",
                OutputFolder = target,
                CorpusPath = corpusPath,
                Resample = p.GetValue(resample),
                Seed = p.GetValue(seed),
                GroupBy = { GroupByOption.Parse(p.GetValue(groupBy)) },
                HarderDomains = { GroupByOption.List(p.GetValue(harder), "--harder-domains") },
                EasierDomains = { GroupByOption.List(p.GetValue(easier), "--easier-domains") },
            };
            await scope.Services.RequireAsync(ServiceKind.Aggregation, scope.Token).ConfigureAwait(false);
            var response = await scope.WithStatusAsync($"reweighting by '{queries.QuerySet}'", _ =>
                scope.Services.CallAsync(ServiceKind.Aggregation, async () => await scope.Services.Aggregation.ReweightAsync(request, cancellationToken: scope.Token), scope.Token)).ConfigureAwait(false);
            var total = response.Weights.Sum(w => w.Weight);
            scope.WriteJson(new
            {
                Command = "reweight",
                queries.QuerySet,
                Strategy = p.GetValue(strategy),
                response.Formula,
                // The weights come from roll-ups of stage 1 (compact store) scores; the paper rule uses no influence.
                Fidelity = FidelityLabel(response.Fidelity),
                GroupBy = response.GroupBy.ToList(),
                Examples = response.Weights.Count,
                WeightSum = total,
                Kept = response.Weights.Count(w => w.Weight > 0),
                Cells = response.Cells.Select(x => new { x.TrainingDomain, x.Difficulty, x.Group, x.Subgroup, x.Examples, x.ShareBefore, x.ShareAfter, MeanWeight = x.Weight, x.MeanInfluence }).ToList(),
                Files = response.Files.ToList(),
            });
            if (!scope.Json)
            {
                var table = new Table { Title = new TableTitle($"weights from {Markup.Escape(queries.QuerySet)} ({Markup.Escape(p.GetValue(strategy)!)}): {response.Weights.Count} examples, weight sum {total.ToString("G6", CultureInfo.InvariantCulture)}") };
                var twoColumns = response.GroupBy.Count != 1;
                table.AddColumn(Markup.Escape(response.GroupBy.Count > 0 ? response.GroupBy[0] : "domain"));
                if (twoColumns) table.AddColumn(Markup.Escape(response.GroupBy.Count > 1 ? response.GroupBy[1] : "difficulty"));
                table.AddColumns("examples", "share before", "share after", "mean weight", "mean influence");
                foreach (var x in response.Cells)
                    table.AddRow((twoColumns ? new[] { Markup.Escape(x.Group), Markup.Escape(x.Subgroup) } : [Markup.Escape(x.Group)]).Concat([x.Examples.ToString(CultureInfo.InvariantCulture),
                        x.ShareBefore.ToString("P1", CultureInfo.InvariantCulture), x.ShareAfter.ToString("P1", CultureInfo.InvariantCulture),
                        x.Weight.ToString("F3", CultureInfo.InvariantCulture), double.IsNaN(x.MeanInfluence) ? "" : x.MeanInfluence.ToString("G4", CultureInfo.InvariantCulture)]).ToArray());
                scope.Console.Write(table);
                scope.Say($"[grey]formula[/] {Markup.Escape(response.Formula)}");
                scope.Say(response.Fidelity == Contracts.Gradients.V1.ScoreFidelity.Unspecified
                    ? "[grey]no influence used: weights from the domains' difficulty levels only[/]"
                    : "[grey]influence from roll-ups of stage 1 scores (APPROXIMATE: the compact store)[/]");
                foreach (var file in response.Files) scope.Say($"[grey]wrote[/] {Markup.Escape(file)}");
            }
            return ExitCodes.Ok;
        });
        return command;
    }

    // UNSPECIFIED: the paper rule, which uses no influence at all.
    private static string FidelityLabel(Contracts.Gradients.V1.ScoreFidelity fidelity) => fidelity switch
    {
        Contracts.Gradients.V1.ScoreFidelity.Exact => "exact",
        Contracts.Gradients.V1.ScoreFidelity.Unspecified => "none (no influence used)",
        _ => "approximate",
    };
}
