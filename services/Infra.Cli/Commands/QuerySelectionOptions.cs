using System.CommandLine;
using Infra.Cli.Terminal;
using Infra.Contracts.Aggregation.V1;

namespace Infra.Cli.Commands;

/// <summary>
/// The AggregationService's <see cref="QuerySelection"/> as flags, shared by aggregate, report and reweight:
/// --set (default "query", the name <c>infra query</c> registers by default), --preconditioner (default none),
/// --normalized (default false), --query-ids (default: every query of the set), --approximate (default false: the lists,
/// sequences, heat-maps and tokens are reranked exactly) and --candidates (default: 30 % of the store, at most 256).
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

    /// <summary>Stage 1 only: no exact rerank, every score from the compact store. Defaults to false.</summary>
    public Option<bool> Approximate { get; } = new("--approximate") { Description = "stage 1 only: no exact rerank (every score from the compact store, labelled approximate)" };

    /// <summary>Stage 1 candidates per query and direction reranked exactly; default 30 % of the store, at most 256.</summary>
    public Option<int?> Candidates { get; } = new("--candidates") { Description = "stage 1 candidates per query and direction reranked exactly (default: 30 % of the store, at most 256)" };

    /// <summary>Adds the options to <paramref name="command"/>.</summary>
    public void AddTo(Command command)
    {
        ArgumentNullException.ThrowIfNull(command);
        command.Options.Add(Set);
        command.Options.Add(Preconditioner);
        command.Options.Add(Normalized);
        command.Options.Add(QueryIds);
        command.Options.Add(Approximate);
        command.Options.Add(Candidates);
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
        var approximate = parse.GetValue(Approximate);
        var candidates = parse.GetValue(Candidates);
        if (candidates is { } n && n < 1) throw new CliException(ExitCodes.Usage, "--candidates must be at least 1");
        if (approximate && candidates is not null) throw new CliException(ExitCodes.Usage, "--candidates goes with the exact rerank, not with --approximate");
        var selection = new QuerySelection
        {
            QuerySet = set, Preconditioner = preconditioner, Normalized = normalized, Rerank = approximate ? RerankMode.None : RerankMode.Unspecified,
        };
        if (candidates is { } c) selection.Candidates = (uint)c;
        selection.QueryIds.AddRange(parse.GetValue(QueryIds) ?? []);
        return selection;
    }

    /// <summary>A file-name-safe form of the set's name (for the default output files and folders).</summary>
    public static string FileStem(string set) => Core.Naming.ResourceName.Sanitize(set);
}
