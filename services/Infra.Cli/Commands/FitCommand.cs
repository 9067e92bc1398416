using System.CommandLine;
using System.Globalization;
using Infra.Cli.Connections;
using Infra.Cli.Corpora;
using Infra.Cli.Terminal;
using Infra.Client.Calls;
using Infra.Contracts.Gradients.V1;
using Infra.Contracts.Scoring.V1;
using Spectre.Console;

namespace Infra.Cli.Commands;

/// <summary>
/// <c>infra fit</c>: with --corpus, the GradientService's full-space EK-FAC (both passes) named --factors; with --kind,
/// the ScoringService's projected preconditioner over the store named --name; both when both are given.
/// </summary>
internal static class FitCommand
{
    public static Command Create(CliContext context, CommonOptions common)
    {
        var corpus = new Option<string?>("--corpus") { Description = "fitting corpus (JSONL or .parquet) for the GradientService's full-space EK-FAC" };
        var factors = new Option<string>("--factors") { Description = "name of the full-space EK-FAC factors on the GradientService", DefaultValueFactory = _ => "ekfac" };
        var kind = new Option<string?>("--kind") { Description = "projected preconditioner over the store on the ScoringService: identity, diagonal, kfac or ekfac" };
        kind.AcceptOnlyFromAmong("identity", "diagonal", "kfac", "ekfac");
        var name = new Option<string?>("--name") { Description = "name of the projected preconditioner (default: the kind)" };
        var damping = new Option<double>("--damping") { Description = "damping of the projected fit; <= 0: 0.1 x mean eigenvalue per layer", DefaultValueFactory = _ => 0 };
        var overwrite = new Option<bool>("--overwrite") { Description = "replace existing factors or preconditioner of that name", DefaultValueFactory = _ => true };
        var command = new Command("fit", "Fit preconditioners: full-space EK-FAC on the GradientService (--corpus) and/or a projected one on the ScoringService (--kind)")
        {
            corpus, factors, kind, name, damping, overwrite,
        };
        var reading = new CorpusOptions();
        reading.AddTo(command);
        var conversationLoss = new ConversationLossOptions();
        conversationLoss.AddTo(command);
        CommandRunner.SetAction(command, context, common, async scope =>
        {
            var corpusPath = scope.Parse.GetValue(corpus);
            var kindName = scope.Parse.GetValue(kind);
            if (corpusPath is null && kindName is null)
                throw new CliException(ExitCodes.Usage, "fit needs --corpus (full-space EK-FAC on the GradientService) and/or --kind (projected, on the ScoringService)");
            var full = new List<FactorsSummary>();
            PreconditionerInfo? projected = null;
            if (corpusPath is not null)
            {
                var path = Path.GetFullPath(corpusPath, scope.Context.WorkingDirectory);
                var examples = (await CorpusInput.LoadTrainingAsync(path, reading.Read(scope.Parse, scope.Context.WorkingDirectory), conversationLoss.Loss(scope.Parse),
                    scope.Token).ConfigureAwait(false)).Examples;
                await scope.Services.RequireAsync(ServiceKind.Gradients, scope.Token).ConfigureAwait(false);
                var factorsName = scope.Parse.GetValue(factors)!;
                foreach (var phase in new[] { FitPhase.Covariance, FitPhase.EigenvalueCorrection })
                {
                    full.Add(await scope.WithProgressAsync($"ekfac {PhaseWord(phase)}", examples.Count, progress =>
                        scope.Services.Pipeline.FitFactorsAsync(factorsName, phase, examples, scope.Settings.BatchSize, scope.Parse.GetValue(overwrite), progress, scope.Token)).ConfigureAwait(false));
                }
            }
            if (kindName is not null)
            {
                await scope.Services.RequireAsync(ServiceKind.Scoring, scope.Token).ConfigureAwait(false);
                var request = new FitRequest
                {
                    Name = scope.Parse.GetValue(name) ?? kindName,
                    Kind = ParseKind(kindName),
                    Damping = scope.Parse.GetValue(damping),
                    Overwrite = scope.Parse.GetValue(overwrite),
                };
                projected = await scope.Services.Pipeline.FitStoreAsync(request, p => scope.Say($"[grey]fit {Markup.Escape(kindName)}[/] {Markup.Escape(FitProgressText.Of(p))}"), scope.Token).ConfigureAwait(false);
            }
            scope.WriteJson(new
            {
                Command = "fit",
                Factors = full.Select(s => new { s.Name, Phase = PhaseWord(s.Phase), s.Examples, s.Tokens, s.Path, s.ModelFingerprint }).ToList(),
                Preconditioner = projected is null ? null : new { projected.Name, Kind = projected.Kind.ToString(), Damping = projected.Damping.ToList(), projected.Examples },
            });
            if (!scope.Json)
            {
                var table = new Table().AddColumns("fit", "name", "where", "examples", "tokens / damping");
                foreach (var s in full)
                    table.AddRow($"full-space EK-FAC, {PhaseWord(s.Phase)}", Markup.Escape(s.Name), Markup.Escape(s.Path), s.Examples.ToString(CultureInfo.InvariantCulture), s.Tokens.ToString(CultureInfo.InvariantCulture));
                if (projected is not null)
                    table.AddRow($"projected {Markup.Escape(projected.Kind.ToString())}", Markup.Escape(projected.Name), "ScoringService store", projected.Examples.ToString(CultureInfo.InvariantCulture),
                        string.Join(" ", projected.Damping.Select(d => d.ToString("G3", CultureInfo.InvariantCulture))));
                scope.Console.Write(table);
            }
            return ExitCodes.Ok;
        });
        return command;
    }

    private static string PhaseWord(FitPhase phase) => phase == FitPhase.Covariance ? "covariance" : "eigenvalue correction";

    private static PreconditionerKind ParseKind(string name) => name switch
    {
        "identity" => PreconditionerKind.Identity,
        "diagonal" => PreconditionerKind.Diagonal,
        "kfac" => PreconditionerKind.Kfac,
        _ => PreconditionerKind.Ekfac,
    };
}
