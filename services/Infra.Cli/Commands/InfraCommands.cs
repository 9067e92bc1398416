using System.CommandLine;
using Infra.Cli.Terminal;

namespace Infra.Cli.Commands;

/// <summary>Registers the service-driving commands and their common options on the root, and invokes a command line.</summary>
internal static class InfraCommands
{
    /// <summary>Adds --config, --json, the setting flags and the commands under Commands/ to <paramref name="root"/>.</summary>
    public static CommonOptions AddTo(RootCommand root, CliContext context)
    {
        ArgumentNullException.ThrowIfNull(root);
        var common = new CommonOptions();
        common.AddTo(root);
        root.Subcommands.Add(ServeCommand.Create(context, common));
        root.Subcommands.Add(IndexCommand.Create(context, common));
        root.Subcommands.Add(FitCommand.Create(context, common));
        root.Subcommands.Add(QueryCommand.Create(context, common));
        root.Subcommands.Add(AggregateCommand.Create(context, common));
        root.Subcommands.Add(ReportCommand.Create(context, common));
        root.Subcommands.Add(ReweightCommand.Create(context, common));
        root.Subcommands.Add(HealthCommand.Create(context, common));
        return common;
    }

    /// <summary>
    /// Parses and runs <paramref name="args"/>: parse errors are usage errors (exit code 2, not System.CommandLine's 1);
    /// Ctrl+C cancels the command's token and it exits with 130.
    /// </summary>
    public static async Task<int> InvokeAsync(RootCommand root, string[] args, CliContext context, CancellationToken token = default)
    {
        ArgumentNullException.ThrowIfNull(root);
        ArgumentNullException.ThrowIfNull(context);
        var parse = root.Parse(args);
        if (parse.Errors.Count > 0)
        {
            foreach (var error in parse.Errors) await context.Error.WriteLineAsync($"infra: usage error: {error.Message}").ConfigureAwait(false);
            await context.Error.WriteLineAsync("run 'infra --help' (or 'infra COMMAND --help') for usage").ConfigureAwait(false);
            return ExitCodes.Usage;
        }
        return await parse.InvokeAsync(new InvocationConfiguration { Output = context.Out, Error = context.Error }, token).ConfigureAwait(false);
    }
}
