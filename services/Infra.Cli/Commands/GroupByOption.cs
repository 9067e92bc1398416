using System.CommandLine;
using Infra.Cli.Terminal;

namespace Infra.Cli.Commands;

/// <summary>
/// <c>--group-by domain,difficulty</c>: the one or two columns a roll-up groups by — "domain", "difficulty",
/// "estimated_difficulty" or any metadata column of the store. Absent = the service's default (domain, difficulty).
/// </summary>
internal static class GroupByOption
{
    /// <summary>The option, to add to a command.</summary>
    public static Option<string?> Create() => new("--group-by")
    {
        Description = "one or two columns to group by, comma-separated: domain, difficulty, estimated_difficulty or a metadata column of the store (default: domain,difficulty)",
    };

    /// <summary>The column names of <paramref name="value"/> (empty when absent: the service's default).</summary>
    /// <exception cref="CliException">More than two names, an empty one, or one repeated (exit code Usage).</exception>
    public static IReadOnlyList<string> Parse(string? value)
    {
        if (value is null) return [];
        var names = value.Split(',').Select(name => name.Trim()).ToList();
        if (names.Any(name => name.Length == 0))
            throw new CliException(ExitCodes.Usage, $"--group-by '{value}' has an empty column name");
        if (names.Count > 2)
            throw new CliException(ExitCodes.Usage, $"--group-by names {names.Count} columns ({string.Join(", ", names)}); group by one or two");
        if (names.Count == 2 && names[0] == names[1])
            throw new CliException(ExitCodes.Usage, $"--group-by names column '{names[0]}' twice");
        return names;
    }

    /// <summary>The comma-separated names of <paramref name="value"/> (for --harder-domains and --easier-domains); empty when absent.</summary>
    public static IReadOnlyList<string> List(string? value, string option)
    {
        if (value is null) return [];
        var names = value.Split(',').Select(name => name.Trim()).ToList();
        if (names.Any(name => name.Length == 0))
            throw new CliException(ExitCodes.Usage, $"{option} '{value}' has an empty domain name");
        return names;
    }
}
