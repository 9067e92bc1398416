namespace Infra.Cli.Terminal;

/// <summary>An error the user can act on: its message is printed as is and <see cref="ExitCode"/> is the process's exit status.</summary>
internal sealed class CliException(int exitCode, string message, Exception? inner = null) : Exception(message, inner)
{
    /// <summary>One of <see cref="ExitCodes"/>.</summary>
    public int ExitCode { get; } = exitCode;

    /// <summary>Extra lines (e.g. every bad line of a corpus) shown under the message and listed in --json output.</summary>
    public IReadOnlyList<string> Details { get; init; } = [];
}
