using System.Diagnostics;
using Grpc.Core;
using Infra.Client.Calls;
using Infra.Contracts.Gradients.V1;
using Infra.Contracts.Scoring.V1;
using Infra.Core.Errors;

namespace Infra.Client.Rerank;

/// <summary>
/// Two-stage scoring, exact where it is read. Stage 1 ranks every stored example from the compact store (the
/// ScoringService's <c>Score</c>; approximate: a random projection keeps inner products only up to an error that
/// grows with both norms). Stage 2 takes each query's top N and bottom N candidates, has the GradientService
/// recompute them in the full space and score them against the full-space EK-FAC preconditioned query (the paper's
/// quantity), and ranks them by those exact scores. Token scores of any example come the same way, so no store needs
/// per-token factors for heat maps, sequences or token rankings.
/// </summary>
/// <param name="scoring">The ScoringService holding the store and the query sets.</param>
/// <param name="rescorer">The GradientService side (stage 2); null when none is configured (then only approximate scores exist).</param>
/// <param name="scoringAddress">Named in errors when the ScoringService is unreachable.</param>
public sealed class TwoStageScorer(ScoringService.ScoringServiceClient scoring, ExactRescorer? rescorer, Uri? scoringAddress = null)
{
    private const string Service = "ScoringService";

    /// <summary>Stage 1 and, when <see cref="TwoStageRequest.Exact"/> (the default), stage 2 for a registered query set.</summary>
    /// <exception cref="DomainException">InvalidArgument: Bad k, or candidates out of range (named).</exception>
    /// <exception cref="DomainException">FailedPrecondition: 
    /// An exact rerank that cannot be done: an empty store, a set registered without a recipe, no GradientService.
    /// </exception>
    public async Task<TwoStageResult> RankAsync(TwoStageRequest request, CancellationToken token = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.K <= 0) throw DomainException.InvalidArgument($"k must be positive; it is {request.K}");
        var store = await StoreAsync(token).ConfigureAwait(false);
        var exact = request.Exact && !request.Normalized;
        var candidates = exact ? Candidates(request.Candidates, (long)store.Examples, request.K) : request.K;
        var recipe = exact ? await RecipeAsync(request.QuerySet, token).ConfigureAwait(false) : null;
        if (exact) RequireRescorer();

        var clock = Stopwatch.StartNew();
        var stage1 = new ScoreRequest
        {
            QuerySet = request.QuerySet, Preconditioner = request.Preconditioner, TopK = (uint)candidates, RankByNormalized = request.Normalized,
        };
        if (request.MinDifficulty is { } min) stage1.MinDifficulty = min;
        if (request.MaxDifficulty is { } max) stage1.MaxDifficulty = max;
        stage1.Domains.AddRange(request.Domains);
        stage1.QueryIds.AddRange(request.QueryIds);
        var results = await ScoreAsync(stage1, token).ConfigureAwait(false);
        var stage1Time = clock.Elapsed;
        if (!exact)
        {
            var approximate = results.Select(r => new RankedQuery(r.QueryId, r.Domain, r.Measurement, (long)r.Scored,
                r.Top.Take(request.K).Select(e => Approximate(e, r.Fidelity)).ToList(),
                r.Bottom.Take(request.K).Select(e => Approximate(e, r.Fidelity)).ToList())).ToList();
            var fidelity = results.Count > 0 && results.All(r => r.Fidelity == ScoreFidelity.Exact) ? ScoreFidelity.Exact : ScoreFidelity.Approximate;
            return new TwoStageResult(approximate, fidelity, 0, 0, new Dictionary<string, ScoreTokensResponse>(), stage1Time, TimeSpan.Zero);
        }

        // Stage 2: every query's candidates, recomputed once for all queries (one forward/backward per example); example
        // scores only (the cheap route), then token scores for the examples the lists show.
        var ids = results.SelectMany(r => r.Top.Concat(r.Bottom)).Select(e => e.Id).Distinct(StringComparer.Ordinal).ToList();
        var stored = await ExamplesAsync(ids, token).ConfigureAwait(false);
        var queryIds = results.Select(r => r.QueryId).ToList();
        var set = await rescorer!.ScoreAsync(recipe!, queryIds, stored, store.Schema.ModelFingerprint, includeTokenScores: false, request.BatchSize,
            token: token).ConfigureAwait(false);
        var columns = Columns(set.Header, queryIds);
        var ranked = results.Select((r, q) => Rerank(r, set, columns[q], request.K)).ToList();
        var tokens = new Dictionary<string, ScoreTokensResponse>(StringComparer.Ordinal);
        var elapsed = set.Elapsed;
        if (request.IncludeTokenScores)
        {
            var domains = results.Select(r => r.Domain).ToList();
            var listed = ranked.SelectMany(r => r.Top.Concat(r.Bottom)).Select(e => e.Id).ToHashSet(StringComparer.Ordinal);
            var shown = stored.Where(e => listed.Contains(e.Id)).ToList();
            var withTokens = await rescorer.ScoreAsync(recipe!, queryIds, shown, store.Schema.ModelFingerprint, includeTokenScores: true, request.BatchSize,
                token: token).ConfigureAwait(false);
            var tokenColumns = Columns(withTokens.Header, queryIds);
            foreach (var example in shown)
                tokens[example.Id] = ExactTokenScores.Build(example, Reorder(withTokens.Examples[example.Id], tokenColumns), queryIds, domains);
            elapsed += withTokens.Elapsed;
        }
        return new TwoStageResult(ranked, ScoreFidelity.Exact, candidates, ids.Count, tokens, stage1Time, elapsed);
    }

    /// <summary>
    /// Exact token scores (and example scores) of given stored examples for a query set's queries, by recomputation:
    /// one <see cref="ScoreTokensResponse"/> per example into <paramref name="onExample"/>, in batches of <paramref name="chunk"/>
    /// examples so memory stays flat. <paramref name="exampleIds"/> empty = every stored example, in id order (ordinal). With
    /// <paramref name="meanByDomain"/> the columns are the selected queries' domains (query id = domain), each the mean
    /// over the domain's queries: what token rankings and roll-ups need, at a cost that grows with the domains, not the queries.
    /// </summary>
    /// <exception cref="DomainException">FailedPrecondition: No recipe with the set, or no GradientService.</exception>
    public async Task ExactTokensAsync(string querySet, IReadOnlyList<string> queryIds, IReadOnlyList<string> exampleIds,
        Func<ScoreTokensResponse, Task> onExample, int chunk = 64, bool meanByDomain = false, CancellationToken token = default)
    {
        ArgumentNullException.ThrowIfNull(querySet);
        ArgumentNullException.ThrowIfNull(queryIds);
        ArgumentNullException.ThrowIfNull(exampleIds);
        ArgumentNullException.ThrowIfNull(onExample);
        var store = await StoreAsync(token).ConfigureAwait(false);
        var set = await QuerySetAsync(querySet, token).ConfigureAwait(false);
        var recipe = set.Header.Recipe ?? throw NoRecipe(querySet);
        RequireRescorer();
        var known = set.Header.Queries.ToDictionary(q => q.Id, q => q.Domain, StringComparer.Ordinal);
        var selected = queryIds.Count == 0 ? set.Header.Queries.Select(q => q.Id).ToList() : queryIds.ToList();
        var unknown = selected.FirstOrDefault(id => !known.ContainsKey(id));
        if (unknown is not null) throw DomainException.NotFound($"query '{unknown}' is not in query set '{querySet}'");
        var domains = selected.Select(id => known[id]).ToList();
        var columns = meanByDomain ? ColumnsByDomain(selected, known) : selected;
        var columnDomains = meanByDomain ? columns : domains;
        var ids = exampleIds.Count > 0 ? exampleIds : await AllIdsAsync(querySet, token).ConfigureAwait(false);
        foreach (var batch in ids.Chunk(Math.Max(1, chunk)))
        {
            var stored = await ExamplesAsync(batch, token).ConfigureAwait(false);
            var scores = await rescorer!.ScoreAsync(meanByDomain ? WithDomains(recipe, known) : recipe, selected, stored, store.Schema.ModelFingerprint,
                includeTokenScores: true, meanByDomain: meanByDomain, token: token).ConfigureAwait(false);
            var order = Columns(scores.Header, columns);
            foreach (var example in stored)
                await onExample(ExactTokenScores.Build(example, Reorder(scores.Examples[example.Id], order), columns, columnDomains)).ConfigureAwait(false);
        }
    }

    // The selected queries' domains in first-appearance order: the columns ScoreExact returns with mean_by_domain.
    private static List<string> ColumnsByDomain(IReadOnlyList<string> selected, Dictionary<string, string> known) =>
        selected.Select(id => known[id]).Distinct(StringComparer.Ordinal).ToList();

    // The recipe with each query's domain as registered with the set (the grouping key of mean_by_domain).
    private static QueryRecipe WithDomains(QueryRecipe recipe, Dictionary<string, string> known)
    {
        var copy = recipe.Clone();
        foreach (var q in copy.Queries) q.Domain = known.TryGetValue(q.Id, out var d) ? d : q.Domain;
        return copy;
    }

    /// <summary>The query set's recipe for exact recomputation.</summary>
    /// <exception cref="DomainException">FailedPrecondition: The set was registered without one.</exception>
    public async Task<QueryRecipe> RecipeAsync(string querySet, CancellationToken token = default) =>
        (await QuerySetAsync(querySet, token).ConfigureAwait(false)).Header.Recipe ?? throw NoRecipe(querySet);

    private static int Candidates(int? requested, long storeExamples, int k)
    {
        try
        {
            return CandidateCount.Resolve(requested, storeExamples, k);
        }
        catch (ArgumentOutOfRangeException ex)
        {
            throw new DomainException(ErrorKind.InvalidArgument, ex.Message.Split(" (Parameter", 2)[0], null, ex);
        }
    }

    // Each query's candidates (its own top N and bottom N) ranked by their exact scores.
    private static RankedQuery Rerank(QueryResult result, ExactScoreSet set, int column, int k)
    {
        var pool = result.Top.Concat(result.Bottom).DistinctBy(e => e.Id, StringComparer.Ordinal)
            .Select(e => new RankedExample(e.Id, e.Domain, e.Difficulty, set.Examples[e.Id].ExampleScores[column], double.NaN, e.Score, ScoreFidelity.Exact))
            .ToList();
        var top = pool.OrderByDescending(e => e.Score).ThenBy(e => e.Id, StringComparer.Ordinal).Take(k).ToList();
        var bottom = pool.OrderBy(e => e.Score).ThenBy(e => e.Id, StringComparer.Ordinal).Take(k).ToList();
        return new RankedQuery(result.QueryId, result.Domain, result.Measurement, (long)result.Scored, top, bottom);
    }

    private static RankedExample Approximate(Contracts.Scoring.V1.ScoredExample e, ScoreFidelity fidelity) =>
        new(e.Id, e.Domain, e.Difficulty, e.Score, e.Normalized, e.Score, fidelity == ScoreFidelity.Unspecified ? ScoreFidelity.Approximate : fidelity);

    // Column of each wanted query in the header's order (the GradientService answers in the order asked, but say so if not).
    private static int[] Columns(ExactScoringHeader header, IReadOnlyList<string> queryIds) => queryIds.Select(id =>
    {
        var at = header.QueryIds.IndexOf(id);
        return at >= 0 ? at : throw DomainException.FailedPrecondition($"the GradientService's exact scores have no column for query '{id}'");
    }).ToArray();

    private static ExactExampleScores Reorder(ExactExampleScores scores, int[] columns)
    {
        if (columns.Select((c, i) => c == i).All(x => x) && scores.ExampleScores.Count == columns.Length) return scores;
        var m = scores.ExampleScores.Count;
        var result = new ExactExampleScores { ExampleId = scores.ExampleId, Tokens = scores.Tokens, Truncated = scores.Truncated, Fidelity = scores.Fidelity };
        result.ExampleScores.AddRange(columns.Select(c => scores.ExampleScores[c]));
        for (var t = 0; t < scores.TokenScores.Count / Math.Max(1, m); t++)
            result.TokenScores.AddRange(columns.Select(c => scores.TokenScores[t * m + c]));
        return result;
    }

    private void RequireRescorer()
    {
        if (rescorer is null)
            throw DomainException.FailedPrecondition("an exact rerank needs a GradientService on the store's model, and none is configured; "
                + "configure one, or ask for approximate (stage 1) scores");
    }

    private static DomainException NoRecipe(string querySet) => DomainException.FailedPrecondition(
        $"query set '{querySet}' was registered without a recipe (its queries and full-space factors), so its scores cannot be recomputed exactly; "
        + "register it again with one (infra query and infra demo do), or ask for approximate (stage 1) scores");

    private Task<StoreInfoResponse> StoreAsync(CancellationToken token) => Downstream.CallAsync(Service, scoringAddress, async () =>
    {
        var info = await scoring.StoreInfoAsync(new StoreInfoRequest(), cancellationToken: token).ResponseAsync.ConfigureAwait(false);
        if (!info.Exists || info.Examples == 0)
            throw DomainException.FailedPrecondition($"the ScoringService's store at {info.Path} is empty: index a corpus into it first");
        return info;
    });

    private Task<GetQuerySetResponse> QuerySetAsync(string name, CancellationToken token) => Downstream.CallAsync(Service, scoringAddress,
        () => scoring.GetQuerySetAsync(new GetQuerySetRequest { Name = name }, cancellationToken: token).ResponseAsync);

    private Task<List<QueryResult>> ScoreAsync(ScoreRequest request, CancellationToken token) => Downstream.CallAsync(Service, scoringAddress, async () =>
    {
        using var call = scoring.Score(request, cancellationToken: token);
        var results = new List<QueryResult>();
        await foreach (var response in call.ResponseStream.ReadAllAsync(token).ConfigureAwait(false))
            if (response.ItemCase == ScoreResponse.ItemOneofCase.Result) results.Add(response.Result);
        return results;
    });

    private Task<List<GetExamplesResponse>> ExamplesAsync(IReadOnlyList<string> ids, CancellationToken token) => Downstream.CallAsync(Service, scoringAddress, async () =>
    {
        using var call = scoring.GetExamples(new GetExamplesRequest { Ids = { ids } }, cancellationToken: token);
        var byId = new Dictionary<string, GetExamplesResponse>(StringComparer.Ordinal);
        await foreach (var example in call.ResponseStream.ReadAllAsync(token).ConfigureAwait(false)) byId[example.Id] = example;
        return ids.Select(id => byId.TryGetValue(id, out var e) ? e : throw DomainException.FailedPrecondition($"the ScoringService sent no metadata for example '{id}'"))
            .ToList();
    });

    // Every stored example's id, in store order: a Score dump's rows (the cheapest call that lists them).
    private Task<List<string>> AllIdsAsync(string querySet, CancellationToken token) => Downstream.CallAsync(Service, scoringAddress, async () =>
    {
        using var call = scoring.Score(new ScoreRequest { QuerySet = querySet, TopK = 1, IncludeAllScores = true }, cancellationToken: token);
        var ids = new List<string>();
        await foreach (var response in call.ResponseStream.ReadAllAsync(token).ConfigureAwait(false))
            if (response.ItemCase == ScoreResponse.ItemOneofCase.Chunk) ids.AddRange(response.Chunk.ExampleIds);
        // In id order, not the store's: a sharded store lists its examples shard after shard, and the recomputation's
        // batches (a batch's float sums depend on its neighbours) and the order the caller sees them in must not depend
        // on how the examples are laid out, so one store, its shards and any GradientService workers give the same bits.
        ids.Sort(StringComparer.Ordinal);
        return ids;
    });
}
