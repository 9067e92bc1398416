using System.CommandLine;
using Grpc.Core;
using Infra.Cli.Connections;
using Infra.Cli.Terminal;
using Infra.Client.Calls;
using Spectre.Console;

namespace Infra.Cli.Commands;

/// <summary><c>infra health</c>: grpc.health.v1 Check of each configured service; exit 3 when any is not serving.</summary>
internal static class HealthCommand
{
    public static Command Create(CliContext context, CommonOptions common)
    {
        var services = new Option<ServiceKind[]>("--service")
        {
            Description = "services to check (repeatable): Gradients, Scoring, Aggregation; default: all three",
            AllowMultipleArgumentsPerToken = true,
        };
        var timeout = new Option<double>("--timeout") { Description = "seconds to wait for each answer", DefaultValueFactory = _ => 5 };
        var command = new Command("health", "Check that the services answer and are serving") { services, timeout };
        CommandRunner.SetAction(command, context, common, async scope =>
        {
            var kinds = scope.Parse.GetValue(services) is { Length: > 0 } chosen ? chosen.Distinct().ToArray() : Enum.GetValues<ServiceKind>();
            var wait = TimeSpan.FromSeconds(Math.Max(scope.Parse.GetValue(timeout), 0.1));
            var checks = await Task.WhenAll(kinds.Select(async kind =>
            {
                try
                {
                    var status = await scope.Services.CheckAsync(kind, wait, scope.Token).ConfigureAwait(false);
                    return new HealthRow(kind, scope.Services.Configured(kind), status.ToString(), status == Grpc.Health.V1.HealthCheckResponse.Types.ServingStatus.Serving, "");
                }
                catch (RpcException e) when (!scope.Token.IsCancellationRequested)
                {
                    return new HealthRow(kind, scope.Services.Configured(kind), "Unreachable", false, scope.Services.ServiceError(kind, e).Message);
                }
            })).ConfigureAwait(false);
            var healthy = checks.All(c => c.Serving);
            scope.WriteJson(new { Command = "health", Healthy = healthy, Services = checks });
            if (!scope.Json)
            {
                var table = new Table().AddColumns("service", "address", "status", "detail");
                foreach (var c in checks)
                    table.AddRow(Markup.Escape(c.Service.ToString()), Markup.Escape(c.Address), c.Serving ? "[green]SERVING[/]" : $"[red]{Markup.Escape(c.Status)}[/]", Markup.Escape(c.Detail));
                scope.Console.Write(table);
            }
            if (!healthy && !scope.Json)
                await scope.Context.Error.WriteLineAsync($"infra: error: not serving: {string.Join(", ", checks.Where(c => !c.Serving).Select(c => $"{ServiceConnections.ServiceName(c.Service)} at {c.Address}"))}").ConfigureAwait(false);
            return healthy ? ExitCodes.Ok : ExitCodes.Unavailable;
        });
        return command;
    }

    private sealed record HealthRow(ServiceKind Service, string Address, string Status, bool Serving, string Detail);
}
