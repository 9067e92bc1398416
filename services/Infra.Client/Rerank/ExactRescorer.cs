using System.Diagnostics;
using Grpc.Core;
using Infra.Client.Calls;
using Infra.Contracts.Gradients.V1;
using Infra.Contracts.Scoring.V1;
using Infra.Core.Errors;

namespace Infra.Client.Rerank;

/// <summary>
/// Stage 2 on the wire: sends a query set's recipe and stored examples (their token ids and loss mask, exactly as
/// indexed) to <c>GradientService.ScoreExact</c>, which recomputes their factors in the full space and scores them
/// against the full-space EK-FAC preconditioned queries. Nothing is written anywhere, so cancelling loses nothing.
/// </summary>
public sealed class ExactRescorer(GradientService.GradientServiceClient gradients, Uri? address = null)
{
    private const string Service = "GradientService";

    /// <summary>
    /// Exact scores of <paramref name="examples"/> for the recipe's queries <paramref name="queryIds"/> (all of the
    /// recipe's when empty), in that order.
    /// </summary>
    /// <param name="modelFingerprint">The store's model; the GradientService refuses another model, naming both.</param>
    /// <param name="includeTokenScores">Also token scores (for heat maps, sequences and token rankings).</param>
    /// <param name="batchSize">Candidates per batch; 0 = the service's default.</param>
    /// <param name="onProgress">Called after each batch with the candidates done.</param>
    /// <param name="meanByDomain">Columns are the queries' domains, each the mean over its queries (cheaper token scores).</param>
    /// <exception cref="ArgumentException">A query id the recipe does not have.</exception>
    public async Task<ExactScoreSet> ScoreAsync(QueryRecipe recipe, IReadOnlyList<string> queryIds, IReadOnlyList<GetExamplesResponse> examples,
        string modelFingerprint, bool includeTokenScores, int batchSize = 0, Action<Progress>? onProgress = null, bool meanByDomain = false,
        CancellationToken token = default)
    {
        ArgumentNullException.ThrowIfNull(recipe);
        ArgumentNullException.ThrowIfNull(queryIds);
        ArgumentNullException.ThrowIfNull(examples);
        var byId = recipe.Queries.ToDictionary(q => q.Id, StringComparer.Ordinal);
        var options = new ExactScoringOptions
        {
            FactorsName = recipe.FactorsName, Damping = recipe.Damping, Reduction = recipe.Reduction, ChatFormat = recipe.ChatFormat,
            Truncate = recipe.Truncate, IncludeTokenScores = includeTokenScores, BatchSize = (uint)Math.Max(0, batchSize),
            ModelFingerprint = modelFingerprint ?? "", MeanByDomain = meanByDomain,
        };
        foreach (var id in queryIds.Count == 0 ? recipe.Queries.Select(q => q.Id) : queryIds)
            options.Queries.Add(byId.TryGetValue(id, out var q) ? q : throw DomainException.InvalidArgument($"query '{id}' is not in the query set's recipe"));
        var clock = Stopwatch.StartNew();
        return await Downstream.CallAsync(Service, address, async () =>
        {
            using var call = gradients.ScoreExact(cancellationToken: token);
            var sending = SendAsync(call.RequestStream, options, examples, token);
            ExactScoringHeader? header = null;
            var scores = new Dictionary<string, ExactExampleScores>(StringComparer.Ordinal);
            await foreach (var message in call.ResponseStream.ReadAllAsync(token).ConfigureAwait(false))
            {
                switch (message.ItemCase)
                {
                    case ScoreExactResponse.ItemOneofCase.Header: header = message.Header; break;
                    case ScoreExactResponse.ItemOneofCase.Scores: scores[message.Scores.ExampleId] = message.Scores; break;
                    case ScoreExactResponse.ItemOneofCase.Progress: onProgress?.Invoke(message.Progress); break;
                }
            }
            await sending.ConfigureAwait(false);
            if (header is null) throw DomainException.FailedPrecondition("the GradientService ended ScoreExact without a header");
            var missing = examples.FirstOrDefault(e => !scores.ContainsKey(e.Id));
            if (missing is not null) throw DomainException.FailedPrecondition($"the GradientService sent no exact score for example '{missing.Id}'");
            return new ExactScoreSet(header, scores, clock.Elapsed);
        }).ConfigureAwait(false);
    }

    /// <summary>A stored example as the GradientService takes it: its own token ids and loss mask, so nothing is re-rendered.</summary>
    public static Example ToCandidate(GetExamplesResponse stored)
    {
        ArgumentNullException.ThrowIfNull(stored);
        var tokens = new TokenizedText();
        tokens.TokenIds.AddRange(stored.TokenIds);
        tokens.LossMask.AddRange(stored.LossMask);
        return new Example { Id = stored.Id, Domain = stored.Domain, Difficulty = stored.Difficulty, Tokens = tokens };
    }

    // Requests go out while responses are read, so the full-duplex stream never stalls on flow control.
    private static Task SendAsync(IClientStreamWriter<ScoreExactRequest> writer, ExactScoringOptions options, IReadOnlyList<GetExamplesResponse> examples,
        CancellationToken token) => Task.Run(async () =>
    {
        await writer.WriteAsync(new ScoreExactRequest { Options = options }, token).ConfigureAwait(false);
        foreach (var example in examples)
            await writer.WriteAsync(new ScoreExactRequest { Candidate = ToCandidate(example) }, token).ConfigureAwait(false);
        await writer.CompleteAsync().ConfigureAwait(false);
    }, token);
}

/// <summary>The header and every example's exact scores of one <c>ScoreExact</c> call, and its wall time.</summary>
public sealed record ExactScoreSet(ExactScoringHeader Header, IReadOnlyDictionary<string, ExactExampleScores> Examples, TimeSpan Elapsed);
