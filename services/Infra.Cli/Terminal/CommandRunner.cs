using System.CommandLine;
using Infra.Cli.Commands;
using Infra.Cli.Configuration;

namespace Infra.Cli.Terminal;

/// <summary>
/// Gives a command its action: loads the settings, runs the body, and maps every failure to an exit code from
/// <see cref="ExitCodes"/> with a message on stderr (or a JSON error document on stdout under --json).
/// </summary>
internal static class CommandRunner
{
    /// <summary>Sets <paramref name="command"/>'s action to run <paramref name="body"/> inside a <see cref="CommandScope"/>.</summary>
    public static void SetAction(Command command, CliContext context, CommonOptions common, Func<CommandScope, Task<int>> body)
    {
        ArgumentNullException.ThrowIfNull(command);
        ArgumentNullException.ThrowIfNull(common);
        command.SetAction((parse, token) => RunAsync(parse, context, common, body, token));
    }

    private static async Task<int> RunAsync(ParseResult parse, CliContext context, CommonOptions common, Func<CommandScope, Task<int>> body, CancellationToken token)
    {
        var json = parse.GetValue(common.Json);
        try
        {
            var settings = CliSettingsLoader.Load(common.Flags(parse), parse.GetValue(common.Config), context);
            using var scope = new CommandScope(parse, settings, json, context, token);
            return await body(scope).ConfigureAwait(false);
        }
        catch (CliException e)
        {
            return Fail(context, json, e.ExitCode, e.Message, e.Details);
        }
        catch (OperationCanceledException) when (token.IsCancellationRequested)
        {
            return Fail(context, json, ExitCodes.Cancelled, "cancelled", []);
        }
        catch (Grpc.Core.RpcException e) when (e.StatusCode == Grpc.Core.StatusCode.Cancelled && token.IsCancellationRequested)
        {
            return Fail(context, json, ExitCodes.Cancelled, "cancelled", []);
        }
    }

    /// <summary>Reports an error and returns its exit code.</summary>
    public static int Fail(CliContext context, bool json, int exitCode, string message, IReadOnlyList<string> details)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (json)
        {
            context.Out.WriteLine(JsonOutput.Serialize(new { Error = new { ExitCode = exitCode, Message = message, Details = details } }));
        }
        else
        {
            context.Error.WriteLine($"infra: error: {message}");
            foreach (var line in details) context.Error.WriteLine($"  {line}");
        }
        return exitCode;
    }
}
