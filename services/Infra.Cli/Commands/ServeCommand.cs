using System.CommandLine;
using Infra.Aggregation.Hosting;
using Infra.Cli.Connections;
using Infra.Cli.Terminal;
using Infra.Client.Calls;
using Infra.Gradients.Hosting;
using Infra.Scoring.Hosting;
using Microsoft.AspNetCore.Builder;

namespace Infra.Cli.Commands;

/// <summary>
/// <c>infra serve gradients|scoring|aggregation</c>: one service in the foreground, the same host as the service's own
/// executable (same settings: appsettings.json, Section__Key environment variables, --Section:Key=value arguments,
/// which are passed through). Listens on the configured address of that service unless --urls says otherwise;
/// Ctrl+C (SIGINT) or SIGTERM stops it gracefully and the command exits 0.
/// </summary>
internal static class ServeCommand
{
    public static Command Create(CliContext context, CommonOptions common)
    {
        var serve = new Command("serve", "Run a service in the foreground until Ctrl+C; extra --Section:Key=value arguments are the service's own settings");
        serve.Subcommands.Add(Service(context, common, ServiceKind.Gradients, "gradients", "--model", "Gradients:ModelPath", "HF checkpoint folder (Gradients:ModelPath)"));
        serve.Subcommands.Add(Service(context, common, ServiceKind.Scoring, "scoring", "--store", "Scoring:StorePath", "gradient store folder (Scoring:StorePath)"));
        serve.Subcommands.Add(Service(context, common, ServiceKind.Aggregation, "aggregation", null, null, null));
        return serve;
    }

    private static Command Service(CliContext context, CommonOptions common, ServiceKind kind, string name, string? pathFlag, string? pathKey, string? pathDescription)
    {
        var urls = new Option<string?>("--urls") { Description = $"address(es) to listen on, ';'-separated (default: the configured {kind} address)" };
        var command = new Command(name, $"Run the {ServiceConnections.ServiceName(kind)} in the foreground") { urls };
        command.TreatUnmatchedTokensAsErrors = false;
        Option<string?>? path = null;
        if (pathFlag is not null)
        {
            path = new Option<string?>(pathFlag) { Description = pathDescription };
            command.Options.Add(path);
        }
        CommandRunner.SetAction(command, context, common, async scope =>
        {
            var listen = scope.Parse.GetValue(urls) ?? scope.Services.Address(kind).ToString().TrimEnd('/');
            // Plain-text gRPC needs HTTP/2 without TLS negotiation; the user's own arguments come later and win.
            var args = new List<string> { "--Kestrel:EndpointDefaults:Protocols=Http2" };
            if (kind == ServiceKind.Aggregation)
            {
                // The AggregationService pulls from the ScoringService and asks the GradientService: default both to the
                // addresses this CLI is configured with (its own Aggregation:ScoringAddress arguments still win).
                args.Add($"--Aggregation:ScoringAddress={scope.Services.Configured(ServiceKind.Scoring)}");
                args.Add($"--Aggregation:GradientAddress={scope.Services.Configured(ServiceKind.Gradients)}");
            }
            if (path is not null && scope.Parse.GetValue(path) is { } value) args.Add($"--{pathKey}={Path.GetFullPath(value, scope.Context.WorkingDirectory)}");
            args.AddRange(scope.Parse.UnmatchedTokens);
            args.Add("--urls");
            args.Add(listen);
            var builder = WebApplication.CreateBuilder(args.ToArray());
            switch (kind)
            {
                case ServiceKind.Gradients:
                    builder.AddGradientServices();
                    break;
                case ServiceKind.Scoring:
                    builder.AddScoringServices();
                    break;
                default:
                    builder.AddAggregationServices();
                    break;
            }
            WebApplication app;
            try
            {
                app = builder.Build();
                _ = kind switch
                {
                    ServiceKind.Gradients => app.MapGradientServices(),
                    ServiceKind.Scoring => app.MapScoringServices(),
                    _ => app.MapAggregationServices(),
                };
            }
            catch (Microsoft.Extensions.Options.OptionsValidationException e)
            {
                throw new CliException(ExitCodes.Usage, $"{ServiceConnections.ServiceName(kind)} settings are invalid: {string.Join("; ", e.Failures)}", e);
            }
            await using (app.ConfigureAwait(false))
            {
                scope.Say($"[grey]{ServiceConnections.ServiceName(kind)} listening on {Spectre.Console.Markup.Escape(listen)}; Ctrl+C stops it[/]");
                try
                {
                    await Microsoft.Extensions.Hosting.HostingAbstractionsHostExtensions.RunAsync(app, scope.Token).ConfigureAwait(false);
                }
                catch (Microsoft.Extensions.Options.OptionsValidationException e)
                {
                    throw new CliException(ExitCodes.Usage, $"{ServiceConnections.ServiceName(kind)} settings are invalid: {string.Join("; ", e.Failures)}", e);
                }
                catch (IOException e) when (e.InnerException is System.Net.Sockets.SocketException || e.Message.Contains("address", StringComparison.OrdinalIgnoreCase))
                {
                    throw new CliException(ExitCodes.Unavailable, $"{ServiceConnections.ServiceName(kind)} could not listen on {listen}: {e.Message}", e);
                }
            }
            return ExitCodes.Ok;
        });
        return command;
    }
}
