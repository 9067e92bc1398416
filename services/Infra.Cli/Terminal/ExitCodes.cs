namespace Infra.Cli.Terminal;

/// <summary>
/// What <c>infra</c>'s exit status means; the one place they are defined (README "Exit codes" lists the same).
/// Scripts can tell a retryable outage (3) from bad data (4) and from a mistyped command (2).
/// </summary>
internal static class ExitCodes
{
    /// <summary>The command did what it was asked.</summary>
    public const int Ok = 0;

    /// <summary>Anything else went wrong (a service refused the request, an unexpected error).</summary>
    public const int Failure = 1;

    /// <summary>Unknown command or flag, a bad flag value, or an invalid setting (named in the message).</summary>
    public const int Usage = 2;

    /// <summary>A service could not be reached or is not serving (its address is in the message).</summary>
    public const int Unavailable = 3;

    /// <summary>Input data is unreadable or invalid: a missing file, a bad JSONL line (with its number), a rejected example.</summary>
    public const int BadInput = 4;

    /// <summary>Interrupted (Ctrl+C), as shells report SIGINT (128 + 2).</summary>
    public const int Cancelled = 130;
}
