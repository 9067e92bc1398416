using System.CommandLine;
using Infra.Cli.Terminal;
using Infra.Contracts.Aggregation.V1;

namespace Infra.Cli.Commands;

/// <summary>
/// The AggregationService's <see cref="QuerySelection"/> as flags, shared by aggregate, report and reweight:
/// --set (default "query", the name <c>infra query</c> registers by default), --preconditioner (default none),
/// --normalized (default false) and --query-ids (default: every query of the set).
/// </summary>
internal sealed class QuerySelectionOptions
{
    /// <summary>The query set registered with the ScoringService. Defaults to "query".</summary>
    public Option<string> Set { get; } = new("--set") { Description = "query set registered with the ScoringService (by 'infra query --set')", DefaultValueFactory = _ => "query" };

    /// <summary>A projected preconditioner fitted on the store; default none (queries as registered).</summary>
    public Option<string?> Preconditioner { get; } = new("--preconditioner") { Description = "score with this projected preconditioner (from 'infra fit --kind'); default: none, queries as registered" };

    /// <summary>Normalised scores (cosine in the preconditioner's metric); needs --preconditioner. Defaults to false.</summary>
    public Option<bool> Normalized { get; } = new("--normalized") { Description = "use normalised scores (cosine in the preconditioner's metric); needs --preconditioner" };

    /// <summary>A subset of the set's queries; default all.</summary>
    public Option<string[]> QueryIds { get; } = new("--query-ids") { Description = "only these queries of the set (repeatable or space-separated); default: all", AllowMultipleArgumentsPerToken = true };

    /// <summary>Adds the four options to <paramref name="command"/>.</summary>
    public void AddTo(Command command)
    {
        ArgumentNullException.ThrowIfNull(command);
        command.Options.Add(Set);
        command.Options.Add(Preconditioner);
        command.Options.Add(Normalized);
        command.Options.Add(QueryIds);
    }

    /// <summary>The selection the flags describe; usage errors (exit 2) for a malformed set name or --normalized alone.</summary>
    public QuerySelection Read(ParseResult parse)
    {
        ArgumentNullException.ThrowIfNull(parse);
        var set = parse.GetValue(Set)!;
        if (string.IsNullOrWhiteSpace(set)) throw new CliException(ExitCodes.Usage, "--set must name a query set registered with the ScoringService");
        var preconditioner = parse.GetValue(Preconditioner) ?? "";
        var normalized = parse.GetValue(Normalized);
        if (normalized && preconditioner.Length == 0)
            throw new CliException(ExitCodes.Usage, "--normalized needs --preconditioner: normalised scores are cosines in the preconditioner's metric");
        var selection = new QuerySelection { QuerySet = set, Preconditioner = preconditioner, Normalized = normalized };
        selection.QueryIds.AddRange(parse.GetValue(QueryIds) ?? []);
        return selection;
    }

    /// <summary>A file-name-safe form of the set's name (for the default output files and folders).</summary>
    public static string FileStem(string set) =>
        string.Concat(set.Select(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-' ? c : '_'));
}
