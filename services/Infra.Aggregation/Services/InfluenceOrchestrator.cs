using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Infra.Aggregation.Clients;
using Infra.Aggregation.Sequences;
using Infra.Contracts.Aggregation.V1;
using Infra.Contracts.Gradients.V1;
using Infra.Contracts.Scoring.V1;

namespace Infra.Aggregation.Services;

/// <summary>
/// The Influence call across both hops. For a prompt: the model's greedy answer when none is given
/// (GradientService.Generate); the query gradient of that (prompt, answer) with the store's projection,
/// preconditioned by full-space EK-FAC factors when named (ComputeQueryGradients); registered with the
/// ScoringService under a content-derived name (see <see cref="QuerySetName"/>) unless already there. Then, for
/// the prompt's query or the named query set's query: Score for the top examples, ScoreTokens for their tokens,
/// and the responses segmented into sequences, ranked with their tokens.
/// </summary>
internal sealed class InfluenceOrchestrator(ScoringPuller scoring, GradientCaller gradients, SequenceTagger tagger)
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

        var topK = request.TopExamples == 0 ? 10 : request.TopExamples;
        var score = new ScoreRequest { QuerySet = querySet, Preconditioner = request.Preconditioner, TopK = topK, QueryIds = { queryIds } };
        var results = await scoring.ScoreAsync(score, null, token).ConfigureAwait(false);
        if (results.Count != 1)
            throw new ArgumentException($"query set '{querySet}' has {results.Count} queries ({string.Join(", ", results.Select(r => r.QueryId))}); name one with query_id");
        var result = results[0];
        response.QueryId = result.QueryId;
        response.Measurement = result.Measurement;

        var top = result.Top.ToList();
        var domains = top.ToDictionary(e => e.Id, e => e.Domain, StringComparer.Ordinal);
        var segmented = new Dictionary<string, ScoredExampleTokens>(StringComparer.Ordinal);
        if (top.Count > 0)
        {
            var tokensRequest = new ScoreTokensRequest { QuerySet = querySet, Preconditioner = request.Preconditioner, QueryIds = { result.QueryId } };
            tokensRequest.ExampleIds.AddRange(top.Select(e => e.Id));
            await scoring.ScoreTokensAsync(tokensRequest, t =>
            {
                segmented[t.ExampleId] = ScoredExampleTokens.Build(t, domains[t.ExampleId], tagger);
                return Task.CompletedTask;
            }, token).ConfigureAwait(false);
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
            });
        }
        var sequences = segmented.Values
            .SelectMany(t => Enumerable.Range(0, t.Map.Sequences.Count).Select(i => Wire.Sequence(t.Scores.ExampleId, t.Map, i, t.Tags[i], [0])))
            .OrderByDescending(s => s.Scores[0]).ThenBy(s => s.ExampleId, StringComparer.Ordinal).ThenBy(s => s.Index)
            .Take(request.TopSequences == 0 ? 10 : (int)request.TopSequences);
        response.Sequences.AddRange(sequences);
        var tokensOut = segmented.Values
            .SelectMany(t => Enumerable.Range(0, t.Scores.Tokens.Count).Where(t.IsResponse).Select(i => new InfluenceToken
            {
                ExampleId = t.Scores.ExampleId, TokenIndex = (uint)i, Token = t.Scores.Tokens[i],
                CharStart = t.Scores.CharStarts[i], CharLength = t.Scores.CharLengths[i], Score = t.Scores.Scores[i * t.QueryCount],
                Category = Wire.UpperSnake(t.Category(i)), SequenceIndex = (uint)t.Map.TokenSequence[i],
            }))
            .OrderByDescending(t => t.Score).ThenBy(t => t.ExampleId, StringComparer.Ordinal).ThenBy(t => t.TokenIndex)
            .Take(request.TopTokens == 0 ? 20 : (int)request.TopTokens);
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

    /// <summary>
    /// The projection the store was indexed with: its seed and identity flag, and as dims the largest k_in / k_out
    /// over its layers (a layer narrower than the spec has its dims capped, so the largest is the spec's own).
    /// </summary>
    private static Contracts.Gradients.V1.ProjectionSpec StoreProjection(IngestHeader schema) => new()
    {
        Identity = schema.Projection?.Identity ?? false,
        Seed = schema.Projection?.Seed ?? 0,
        KIn = schema.Layers.Max(l => l.KIn),
        KOut = schema.Layers.Max(l => l.KOut),
    };

    private async Task<StoreInfoResponse> Validate(InfluenceRequest request, CancellationToken token)
    {
        switch (request.QueryCase)
        {
            case InfluenceRequest.QueryOneofCase.Prompt:
                if (string.IsNullOrWhiteSpace(request.Prompt.Prompt)) throw new ArgumentException("the prompt is empty");
                if (!string.IsNullOrEmpty(request.QueryId)) throw new ArgumentException("query_id goes with query_set, not with a prompt");
                break;
            case InfluenceRequest.QueryOneofCase.QuerySet:
                if (string.IsNullOrWhiteSpace(request.QuerySet)) throw new ArgumentException("query_set is empty");
                if (!string.IsNullOrEmpty(request.FactorsName)) throw new ArgumentException("factors_name applies to a prompt's gradient; a registered query set is already computed");
                break;
            default:
                throw new ArgumentException("the request names neither a prompt nor a query_set");
        }
        return await scoring.RequireStoreAsync(token).ConfigureAwait(false);
    }

    private async Task<string> RegisterPromptAsync(InfluenceRequest request, StoreInfoResponse store, InfluenceResponse response, CancellationToken token)
    {
        var prompt = request.Prompt;
        var model = await gradients.ModelInfoAsync(token).ConfigureAwait(false);
        if (model.Fingerprint != store.Schema.ModelFingerprint)
            throw new InvalidOperationException($"the GradientService's model ({model.Fingerprint[..12]}) is not the model the store was indexed with ({store.Schema.ModelFingerprint[..Math.Min(12, store.Schema.ModelFingerprint.Length)]})");
        var answer = prompt.Answer;
        if (string.IsNullOrEmpty(answer))
        {
            var generate = new GenerateRequest { MaxNewTokens = request.MaxNewTokens };
            generate.Prompts.Add(new GenerationPrompt { Id = "influence", System = prompt.System, Prompt = prompt.Prompt });
            answer = (await gradients.GenerateAsync(generate, token).ConfigureAwait(false)).Answers[0].Answer;
            response.Generated = true;
            if (answer.Length == 0) throw new InvalidOperationException("the model's greedy answer to the prompt is empty: there is nothing to attribute; give an answer");
        }
        response.Answer = answer;
        var projection = StoreProjection(store.Schema);
        var name = QuerySetName(model.Fingerprint, projection, request.FactorsName, request.Damping, prompt.System, prompt.Prompt, answer);
        if (store.QuerySets.Contains(name))
        {
            response.Reused = true;
            return name;
        }
        var query = new ComputeQueryGradientsRequest { Projection = projection, FactorsName = request.FactorsName, Damping = request.Damping };
        query.Queries.Add(new Example { Id = name, System = prompt.System, Prompt = prompt.Prompt, Response = answer, Domain = prompt.Domain });
        var chunks = await gradients.QueryGradientsAsync(query, token).ConfigureAwait(false);
        var header = new QuerySetHeader { Name = name };
        header.Queries.Add(new QueryInfo { Id = name, Domain = string.IsNullOrEmpty(prompt.Domain) ? RollupPuller.UnnamedDomain : prompt.Domain });
        await scoring.RegisterAsync(header, chunks, token).ConfigureAwait(false);
        return name;
    }
}
