using System.CommandLine;
using System.Text.Json;
using Infra.Cli.Commands;
using Infra.Cli.Terminal;

namespace Infra.Cli.Tests.Harness;

/// <summary>One in-process run of the CLI's command tree (the same InfraCommands that Program.cs registers) with captured output.</summary>
internal sealed record CliRun(int ExitCode, string Out, string Error)
{
    /// <summary>Runs <paramref name="args"/> with exactly <paramref name="environment"/> as the environment and <paramref name="workingDirectory"/> as the current directory.</summary>
    public static async Task<CliRun> InvokeAsync(string[] args, IReadOnlyDictionary<string, string?> environment, string workingDirectory, CancellationToken token = default)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var context = new CliContext(output, error, environment, workingDirectory);
        var root = new RootCommand("infra (test)");
        InfraCommands.AddTo(root, context);
        var code = await InfraCommands.InvokeAsync(root, args, context, token);
        return new CliRun(code, output.ToString(), error.ToString());
    }

    /// <summary>stdout as the JSON document --json promises.</summary>
    public JsonElement Json()
    {
        using var document = JsonDocument.Parse(Out);
        return document.RootElement.Clone();
    }

    public override string ToString() => $"exit {ExitCode}\nstdout:\n{Out}\nstderr:\n{Error}";
}
