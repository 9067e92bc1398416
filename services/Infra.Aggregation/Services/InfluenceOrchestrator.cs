using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Infra.Aggregation.Clients;
using Infra.Aggregation.Sequences;
using Infra.Client.Pipeline;
using Infra.Client.Rerank;
using Infra.Contracts.Aggregation.V1;
using Infra.Contracts.Gradients.V1;
using Infra.Contracts.Scoring.V1;
using Infra.Core.Errors;

namespace Infra.Aggregation.Services;

/// <summary>
/// The Influence call across both hops. For a prompt: the model's greedy answer when none is given
/// (GradientService.Generate); the query gradient of that (prompt, answer) with the store's projection,
/// preconditioned by full-space EK-FAC factors when named (ComputeQueryGradients); registered with the
/// ScoringService under a content-derived name (see <see cref="QuerySetName"/>) with its recipe, unless already there.
/// Then, for the prompt's query or the named query set's query, two-stage scoring (<see cref="TwoStageScorer"/>): stage 1
/// candidates from the compact store, reranked by exact scores recomputed on the GradientService (the default), with
/// their exact token scores; the responses segmented into sequences, ranked with their tokens. With RERANK_MODE_NONE
/// everything comes from the store (approximate; token scores need stored token factors).
/// </summary>
internal sealed class InfluenceOrchestrator(ScoringPuller scoring, GradientCaller gradients, TokenSource source, SequenceTagger tagger)
{
    public async Task<InfluenceResponse> RunAsync(InfluenceRequest request, CancellationToken token)
    {
        var store = await Validate(request, token).ConfigureAwait(false);
        var response = new InfluenceResponse();
        string querySet;
        string[] queryIds;
        if (request.QueryCase == InfluenceRequest.QueryOneofCase.Prompt)
        {
            querySet = await RegisterPromptAsync(request, store, response, token).ConfigureAwait(false);
            queryIds = [querySet];
        }
        else
        {
            querySet = request.QuerySet;
            queryIds = string.IsNullOrEmpty(request.QueryId) ? [] : [request.QueryId];
        }
        response.QuerySet = querySet;

        var topK = Counts.Of(request.TopExamples, 10);
        var exact = Selections.Exact(request.Rerank, normalized: false, "rerank");
        var ranking = new TwoStageRequest
        {
            QuerySet = querySet, QueryIds = queryIds, Preconditioner = request.Preconditioner, K = topK,
            Candidates = request.HasCandidates ? Counts.Of(request.Candidates, 0) : null, Exact = exact, IncludeTokenScores = exact,
        };
        var ranked = await source.TwoStage.RankAsync(ranking, token).ConfigureAwait(false);
        if (ranked.Queries.Count != 1)
            throw DomainException.InvalidArgument($"query set '{querySet}' has {ranked.Queries.Count} queries ({string.Join(", ", ranked.Queries.Select(r => r.QueryId))}); name one with query_id");
        var result = ranked.Queries[0];
        response.QueryId = result.QueryId;
        response.Measurement = result.Measurement;
        response.Fidelity = ranked.Fidelity;
        response.Candidates = (uint)ranked.Candidates;

        var top = result.Top.ToList();
        var domains = top.ToDictionary(e => e.Id, e => e.Domain, StringComparer.Ordinal);
        var segmented = new Dictionary<string, ScoredExampleTokens>(StringComparer.Ordinal);
        Task Segment(ScoreTokensResponse t)
        {
            segmented[t.ExampleId] = ScoredExampleTokens.Build(t, domains[t.ExampleId], tagger);
            return Task.CompletedTask;
        }
        if (exact)
        {
            foreach (var e in top) await Segment(ranked.Tokens[e.Id]).ConfigureAwait(false);
        }
        else if (top.Count > 0)
        {
            var tokensRequest = new ScoreTokensRequest { QuerySet = querySet, Preconditioner = request.Preconditioner, QueryIds = { result.QueryId } };
            tokensRequest.ExampleIds.AddRange(top.Select(e => e.Id));
            await scoring.ScoreTokensAsync(tokensRequest, Segment, token).ConfigureAwait(false);
        }

        foreach (var e in top)
        {
            var tokens = segmented[e.Id];
            var (start, length) = tokens.ResponseSpan();
            var (all, responseSum) = tokens.TokenSums(0);
            response.Examples.Add(new InfluenceExample
            {
                Id = e.Id, Domain = e.Domain, Difficulty = e.Difficulty, Score = e.Score, Normalized = e.Normalized,
                Text = tokens.Scores.Text, ResponseStart = start, ResponseLength = length, TokenSum = all, ResponseTokenSum = responseSum,
                Fidelity = e.Fidelity, ApproximateScore = e.ApproximateScore,
            });
        }
        var sequences = segmented.Values
            .SelectMany(t => Enumerable.Range(0, t.Map.Sequences.Count).Select(i => Wire.Sequence(t.Scores.ExampleId, t.Map, i, t.Tags[i], [0], Wire.Fidelity(t.Scores.Fidelity))))
            .OrderByDescending(s => s.Scores[0]).ThenBy(s => s.ExampleId, StringComparer.Ordinal).ThenBy(s => s.Index)
            .Take(Counts.Of(request.TopSequences, 10));
        response.Sequences.AddRange(sequences);
        var tokensOut = segmented.Values
            .SelectMany(t => Enumerable.Range(0, t.Scores.Tokens.Count).Where(t.IsResponse).Select(i => new InfluenceToken
            {
                ExampleId = t.Scores.ExampleId, TokenIndex = (uint)i, Token = t.Scores.Tokens[i],
                CharStart = t.Scores.CharStarts[i], CharLength = t.Scores.CharLengths[i], Score = t.Scores.Scores[i * t.QueryCount],
                Category = Wire.Category(t.Category(i)), SequenceIndex = (uint)t.Map.TokenSequence[i], Fidelity = Wire.Fidelity(t.Scores.Fidelity),
            }))
            .OrderByDescending(t => t.Score).ThenBy(t => t.ExampleId, StringComparer.Ordinal).ThenBy(t => t.TokenIndex)
            .Take(Counts.Of(request.TopTokens, 20));
        response.Tokens.AddRange(tokensOut);
        return response;
    }

    /// <summary>
    /// The query set a prompt's gradient is registered under: "influence-" and the first 24 hex digits of the
    /// SHA-256 over the model fingerprint, the store's projection, the factors name and damping, the system
    /// message, prompt and answer (each length-prefixed). The same question on the same model and store gets the
    /// same name, so a repeat reuses the registered gradient instead of recomputing it.
    /// </summary>
    public static string QuerySetName(string fingerprint, Contracts.Gradients.V1.ProjectionSpec projection, string factorsName, double damping,
        string system, string prompt, string answer)
    {
        var text = new StringBuilder();
        foreach (var part in new[]
                 {
                     fingerprint, projection.ToString(), factorsName, damping.ToString("R", CultureInfo.InvariantCulture), system, prompt, answer,
                 })
            text.Append(part.Length.ToString(CultureInfo.InvariantCulture)).Append(':').Append(part).Append('\n');
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString()));
        return "influence-" + Convert.ToHexStringLower(hash)[..24];
    }

    // A set registered before recipes existed is registered again, so its scores can be recomputed exactly.
    private async Task<bool> HasRecipeAsync(string name, CancellationToken token)
    {
        try
        {
            await source.TwoStage.RecipeAsync(name, token).ConfigureAwait(false);
            return true;
        }
        catch (DomainException e) when (e.Kind == ErrorKind.FailedPrecondition)
        {
            return false;
        }
    }

    private async Task<StoreInfoResponse> Validate(InfluenceRequest request, CancellationToken token)
    {
        if (!double.IsFinite(request.Damping)) throw DomainException.InvalidArgument($"damping must be finite (<= 0 means 0.1 x mean eigenvalue); it is {request.Damping}", "damping");
        Selections.Exact(request.Rerank, normalized: false, "rerank");
        switch (request.QueryCase)
        {
            case InfluenceRequest.QueryOneofCase.Prompt:
                if (string.IsNullOrWhiteSpace(request.Prompt.Prompt)) throw DomainException.InvalidArgument("the prompt is empty", "prompt.prompt");
                if (!string.IsNullOrEmpty(request.QueryId)) throw DomainException.InvalidArgument("query_id goes with query_set, not with a prompt", "query_id");
                break;
            case InfluenceRequest.QueryOneofCase.QuerySet:
                if (string.IsNullOrWhiteSpace(request.QuerySet)) throw DomainException.InvalidArgument("query_set is empty", "query_set");
                if (!string.IsNullOrEmpty(request.FactorsName)) throw DomainException.InvalidArgument("factors_name applies to a prompt's gradient; a registered query set is already computed", "factors_name");
                break;
            default:
                throw DomainException.InvalidArgument("the request names neither a prompt nor a query_set");
        }
        return await scoring.RequireStoreAsync(token).ConfigureAwait(false);
    }

    private async Task<string> RegisterPromptAsync(InfluenceRequest request, StoreInfoResponse store, InfluenceResponse response, CancellationToken token)
    {
        var prompt = request.Prompt;
        var model = await gradients.ModelInfoAsync(token).ConfigureAwait(false);
        if (model.Fingerprint != store.Schema.ModelFingerprint)
            throw DomainException.FailedPrecondition($"the GradientService's model ({model.Fingerprint[..12]}) is not the model the store was indexed with ({store.Schema.ModelFingerprint[..Math.Min(12, store.Schema.ModelFingerprint.Length)]})");
        var answer = prompt.Answer;
        if (string.IsNullOrEmpty(answer))
        {
            var generate = new GenerateRequest { MaxNewTokens = request.MaxNewTokens };
            generate.Prompts.Add(new GenerationPrompt { Id = "influence", System = prompt.System, Prompt = prompt.Prompt });
            answer = (await gradients.GenerateAsync(generate, token).ConfigureAwait(false)).Answers[0].Answer;
            response.Generated = true;
            if (answer.Length == 0) throw DomainException.FailedPrecondition("the model's greedy answer to the prompt is empty: there is nothing to attribute; give an answer");
        }
        response.Answer = answer;
        var projection = StoreProjection.Of(store.Schema);
        // With a store preconditioner, stage 1 scores an unpreconditioned projected gradient through it (EK-FAC fitted on
        // the store: the better stage 1); the full-space factors then serve stage 2 only, through the recipe.
        var storePreconditioned = !string.IsNullOrEmpty(request.Preconditioner);
        var name = QuerySetName(model.Fingerprint, projection, storePreconditioned ? $"{request.FactorsName}@{request.Preconditioner}" : request.FactorsName,
            request.Damping, prompt.System, prompt.Prompt, answer);
        if (store.QuerySets.Contains(name) && await HasRecipeAsync(name, token).ConfigureAwait(false))
        {
            response.Reused = true;
            return name;
        }
        var domain = string.IsNullOrEmpty(prompt.Domain) ? RollupPuller.UnnamedDomain : prompt.Domain;
        await gradients.Pipeline(scoring).RegisterQueriesAsync(new QueryRegistration
        {
            QuerySet = name, Queries = [new Example { Id = name, System = prompt.System, Prompt = prompt.Prompt, Response = answer, Domain = domain }],
            FactorsName = request.FactorsName, PreconditionStage1 = !storePreconditioned, Damping = request.Damping, Projection = projection,
        }, token).ConfigureAwait(false);
        return name;
    }
}
