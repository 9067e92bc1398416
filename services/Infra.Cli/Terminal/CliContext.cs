using System.Collections;
using Spectre.Console;

namespace Infra.Cli.Terminal;

/// <summary>
/// What a command sees of the world: where it writes, the environment and the working directory. The process's own by
/// <see cref="FromProcess"/>; tests pass captured writers and a hand-made environment so runs are hermetic.
/// </summary>
internal sealed record CliContext(TextWriter Out, TextWriter Error, IReadOnlyDictionary<string, string?> Environment, string WorkingDirectory)
{
    /// <summary>Whether progress bars may redraw in place (a terminal, not a pipe or a file). Defaults to false.</summary>
    public bool Interactive { get; init; }

    /// <summary>Rich output (tables, progress) on <see cref="Out"/>; ANSI only when it is a terminal.</summary>
    public IAnsiConsole CreateConsole() => AnsiConsole.Create(new AnsiConsoleSettings
    {
        Out = new AnsiConsoleOutput(Out),
        Ansi = Interactive ? AnsiSupport.Detect : AnsiSupport.No,
        ColorSystem = Interactive ? ColorSystemSupport.Detect : ColorSystemSupport.NoColors,
        Interactive = Interactive ? InteractionSupport.Yes : InteractionSupport.No,
    });

    /// <summary>This process's console, environment and current directory.</summary>
    public static CliContext FromProcess()
    {
        var environment = new Dictionary<string, string?>(StringComparer.Ordinal);
        foreach (DictionaryEntry entry in System.Environment.GetEnvironmentVariables())
            environment[(string)entry.Key] = entry.Value as string;
        return new CliContext(Console.Out, Console.Error, environment, System.Environment.CurrentDirectory)
        {
            Interactive = !Console.IsOutputRedirected,
        };
    }
}
