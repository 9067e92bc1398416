using Grpc.Core;
using Infra.Aggregation.Clients;
using Infra.Aggregation.Rollups;
using Infra.Aggregation.Sequences;
using Infra.Aggregation.Tokens;
using Infra.Contracts.Aggregation.V1;
using Infra.Contracts.Gradients.V1;
using Infra.Core.Errors;
using Infra.Core.Statistics;
using Microsoft.Extensions.Options;

namespace Infra.Aggregation.Services;

/// <summary>The gRPC edge of the AggregationService: validate, pull from the ScoringService, call the domain, map.</summary>
public sealed class AggregationGrpcService(ScoringPuller scoring, GradientCaller gradients, IOptions<AggregationServiceOptions> options)
    : AggregationService.AggregationServiceBase
{
    private readonly SequenceTagger _tagger = new();
    private readonly TokenSource _tokens = new(scoring, gradients);

    public override async Task Aggregate(AggregateRequest request, IServerStreamWriter<AggregateResponse> responseStream, ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(responseStream);
        ArgumentNullException.ThrowIfNull(context);
        AggregationLimits.Check(request, options.Value);
        var token = context.CancellationToken;
        var rollupOptions = RollupOptionsFor(request.TopK, request.BootstrapSamples, request.Confidence, request.Seed, token);
        var grouping = Grouping.Parse(request.GroupBy);
        var (rollup, store) = await new RollupPuller(scoring).PullAsync(request.Queries, grouping, rollupOptions,
            p => responseStream.WriteAsync(new AggregateResponse { Progress = p }, token), token).ConfigureAwait(false);
        var result = new AggregateResult
        {
            GroupBy = { grouping.Columns },
            Difficulty = DifficultySchemes.For(grouping, store),
            Examples = (ulong)rollup.Examples.Count,
            Queries = (uint)request.Queries.QueryIds.Count,
            Normalized = request.Queries.Normalized,
            Note = "each cell's values are per-example means of the " + (request.Queries.Normalized ? "normalised" : "raw")
                + " influence over the cell's queries; n counts examples; CI = percentile bootstrap of the mean; APPROXIMATE: stage 1 scores from the "
                + "compact store (a random projection is unbiased, so means over many examples average its noise; ask TopK or Influence for exact lists)",
            Fidelity = ScoreFidelity.Approximate,
            TopFidelity = ScoreFidelity.Approximate,
        };
        foreach (var domain in rollup.QueryDomains.Append(InfluenceRollup.AllQueries))
        {
            var table = new QueryDomainTable { QueryDomain = domain };
            table.Cells.AddRange(rollup.Table(domain, grouping).Select(Wire.Cell));
            table.Top.AddRange(rollup.TopExamples(domain).Select(e => Wire.Example(e, ScoreFidelity.Approximate)));
            table.Bottom.AddRange(rollup.BottomExamples(domain).Select(e => Wire.Example(e, ScoreFidelity.Approximate)));
            result.Tables.Add(table);
        }
        result.CrossDomain.AddRange(rollup.CrossDomainMatrix(grouping).Select(Wire.Cell));
        // Without a subset: every query of the set scores every (unfiltered) example, so the most any example saw is the set's size.
        if (result.Queries == 0 && rollup.Examples.Count > 0)
            result.Queries = (uint)rollup.Examples.Max(e => rollup.ExampleQueryCount(e.Id, InfluenceRollup.AllQueries));
        await responseStream.WriteAsync(new AggregateResponse { Result = result }, token).ConfigureAwait(false);
    }

    public override async Task<TopKResponse> TopK(TopKRequest request, ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(context);
        AggregationLimits.Check(request, options.Value);
        var token = context.CancellationToken;
        Selections.Validate(request.Queries);
        if (request.HasMinDifficulty && request.HasMaxDifficulty && request.MinDifficulty > request.MaxDifficulty)
            throw DomainException.InvalidArgument($"difficulty bounds [{request.MinDifficulty}, {request.MaxDifficulty}] are not a range (an absent bound = no bound)", "min_difficulty");
        var exact = Selections.Exact(request.Queries);
        var ranking = TokenSource.Ranking(request.Queries, Counts.Of(request.K, 10), tokens: exact && request.Sequences > 0) with
        {
            Domains = request.Domains.ToList(), MinDifficulty = request.HasMinDifficulty ? request.MinDifficulty : null, MaxDifficulty = request.HasMaxDifficulty ? request.MaxDifficulty : null,
        };
        var ranked = await _tokens.TwoStage.RankAsync(ranking, token).ConfigureAwait(false);
        var response = new TopKResponse();
        var segmented = new Dictionary<string, ScoredExampleTokens>(StringComparer.Ordinal);
        var domains = ranked.Queries.SelectMany(r => r.Top).GroupBy(e => e.Id, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.First().Domain, StringComparer.Ordinal);
        if (request.Sequences > 0 && domains.Count > 0)
        {
            Task Segment(Contracts.Scoring.V1.ScoreTokensResponse t)
            {
                segmented[t.ExampleId] = ScoredExampleTokens.Build(t, domains[t.ExampleId], _tagger);
                return Task.CompletedTask;
            }
            if (exact)
            {
                foreach (var t in ranked.Tokens.Values.Where(t => domains.ContainsKey(t.ExampleId))) await Segment(t).ConfigureAwait(false);
            }
            else
            {
                var selection = request.Queries.Clone();
                selection.QueryIds.Clear();
                selection.QueryIds.AddRange(ranked.Queries.Select(r => r.QueryId));
                await _tokens.ForEachAsync(selection, domains.Keys.ToList(), Segment, token).ConfigureAwait(false);
            }
        }
        for (var q = 0; q < ranked.Queries.Count; q++)
        {
            var r = ranked.Queries[q];
            var entry = new QueryTopK { QueryId = r.QueryId, QueryDomain = r.Domain, Measurement = r.Measurement };
            entry.Top.AddRange(r.Top.Select(Wire.Example));
            entry.Bottom.AddRange(r.Bottom.Select(Wire.Example));
            var column = q;
            entry.TopSequences.AddRange(r.Top.Where(e => segmented.ContainsKey(e.Id)).Select(e => segmented[e.Id])
                .SelectMany(t => Enumerable.Range(0, t.Map.Sequences.Count)
                    .Select(i => Wire.Sequence(t.Scores.ExampleId, t.Map, i, t.Tags[i], [column], Wire.Fidelity(t.Scores.Fidelity))))
                .OrderByDescending(s => s.Scores[0]).ThenBy(s => s.ExampleId, StringComparer.Ordinal).ThenBy(s => s.Index)
                .Take(Counts.Of(request.Sequences, 0)));
            response.Queries.Add(entry);
        }
        return response;
    }

    public override async Task<SequencesResponse> Sequences(SequencesRequest request, ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(context);
        AggregationLimits.Check(request, options.Value);
        var token = context.CancellationToken;
        Selections.Validate(request.Queries);
        if (request.ExampleIds.Count == 0) throw DomainException.InvalidArgument("example_ids is empty: name the stored examples to segment", "example_ids");
        await scoring.RequireStoreAsync(token).ConfigureAwait(false);
        var response = new SequencesResponse();
        await _tokens.ForEachAsync(request.Queries, request.ExampleIds.ToList(), t =>
        {
            // The segmentation mode of unfenced text is the training domain's; the lab's code responses are fenced,
            // so prose is the safe reading when the domain is not known here.
            var example = ScoredExampleTokens.Build(t, trainingDomain: "", _tagger);
            var columns = Enumerable.Range(0, example.QueryCount).ToArray();
            var fidelity = Wire.Fidelity(t.Fidelity);
            var entry = new ExampleSequences { ExampleId = t.ExampleId, Text = t.Text, QueryIds = { t.QueryIds }, ExampleScores = { t.ExampleScores }, Fidelity = fidelity };
            entry.Sequences.AddRange(Enumerable.Range(0, example.Map.Sequences.Count)
                .Select(i => Wire.Sequence(t.ExampleId, example.Map, i, example.Tags[i], columns, fidelity)));
            response.Examples.Add(entry);
            return Task.CompletedTask;
        }, token).ConfigureAwait(false);
        return response;
    }

    public override async Task<TokenRankingResponse> TokenRanking(TokenRankingRequest request, ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(context);
        AggregationLimits.Check(request, options.Value);
        var token = context.CancellationToken;
        Selections.Validate(request.Queries);
        var accumulator = new TokenRankingAccumulator(new TokenRankingOptions
        {
            RankCount = Counts.Of(request.Top, 25),
            MinCount = Counts.Of(request.MinCount, 1),
        });
        await scoring.RequireStoreAsync(token).ConfigureAwait(false);
        var response = new TokenRankingResponse { Fidelity = Selections.Exact(request.Queries) ? ScoreFidelity.Exact : ScoreFidelity.Approximate };
        await _tokens.ForEachAsync(request.Queries, request.ExampleIds.ToList(), t =>
        {
            var example = ScoredExampleTokens.Build(t, trainingDomain: "", _tagger);
            var domains = t.QueryDomains.Select(d => string.IsNullOrEmpty(d) ? RollupPuller.UnnamedDomain : d).ToArray();
            var groups = domains.Select((d, q) => (d, q)).GroupBy(x => x.d, x => x.q, StringComparer.Ordinal).ToList();
            for (var i = 0; i < t.Tokens.Count; i++)
            {
                if (!example.IsResponse(i)) continue;
                var category = example.Category(i);
                response.Tokens++;
                // A token's influence on a query domain: the mean over that domain's queries.
                foreach (var g in groups)
                    accumulator.Add(t.Tokens[i], category, g.Average(q => (double)t.Scores[i * example.QueryCount + q]), g.Key);
            }
            response.Examples++;
            if (t.Fidelity != ScoreFidelity.Exact) response.Fidelity = ScoreFidelity.Approximate;
            return Task.CompletedTask;
        }, token, meanByDomain: true).ConfigureAwait(false);
        foreach (var (domain, ranking) in accumulator.Results().OrderBy(kv => kv.Key, StringComparer.Ordinal))
        {
            var entry = new QueryDomainTokens { QueryDomain = domain };
            entry.Top.AddRange(ranking.Top.Select(Ranked));
            entry.Bottom.AddRange(ranking.Bottom.Select(Ranked));
            entry.Categories.AddRange(ranking.Categories.Select(c => new Contracts.Aggregation.V1.CategoryTotal
            {
                Category = Wire.Category(c.Category), Count = (ulong)c.Count, Total = c.Sum, Mean = c.Mean,
            }));
            response.Domains.Add(entry);
        }
        return response;
    }

    public override Task<ReweightResponse> Reweight(ReweightRequest request, ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(context);
        AggregationLimits.Check(request, options.Value);
        return new ReweightCall(scoring, options.Value).RunAsync(request, context.CancellationToken);
    }

    public override Task<ReportResponse> Report(ReportRequest request, ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(context);
        AggregationLimits.Check(request, options.Value);
        Selections.Validate(request.Queries);
        return new ReportCall(scoring, _tokens, _tagger, options.Value).RunAsync(request, context.CancellationToken);
    }

    public override Task<InfluenceResponse> Influence(InfluenceRequest request, ServerCallContext context)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(context);
        AggregationLimits.Check(request, options.Value);
        return new InfluenceOrchestrator(scoring, gradients, _tokens, _tagger).RunAsync(request, context.CancellationToken);
    }

    private static RankedToken Ranked(TokenStatistic s) => new()
    {
        Token = s.Token, Category = Wire.Category(s.Category), Count = (ulong)s.Count, Total = s.Sum, Mean = s.Mean,
    };

    /// <summary>The roll-up's options from a request's fields; the bootstrap stops when <paramref name="token"/> fires.</summary>
    /// <exception cref="ArgumentException">A confidence outside (0, 1), or more bootstrap samples than <see cref="BootstrapOptions.MaxResamples"/>.</exception>
    internal static RollupOptions RollupOptionsFor(uint topK, uint samples, double confidence, ulong seed, CancellationToken token = default)
    {
        if (confidence != 0 && !(confidence > 0 && confidence < 1))
            throw DomainException.InvalidArgument($"confidence must be in (0, 1) (0 = 0.95); it is {confidence}", "confidence");
        if (samples > BootstrapOptions.MaxResamples)
            throw DomainException.InvalidArgument($"bootstrap_samples must be at most {BootstrapOptions.MaxResamples} (0 = 1000); it is {samples}", "bootstrap_samples");
        return new RollupOptions
        {
            TopK = Counts.Of(topK, 10),
            Bootstrap = new BootstrapOptions
            {
                Resamples = samples == 0 ? 1000 : (int)samples, Confidence = confidence == 0 ? 0.95 : confidence, Seed = seed, Cancellation = token,
            },
        };
    }
}
