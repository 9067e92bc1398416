using Infra.Contracts.Gradients.V1;
using Infra.Torch.Gradients;
using Infra.Core.Errors;

namespace Infra.Gradients.Mapping;

/// <summary>Checks <see cref="ExactScoringOptions"/> and maps exact scores to ScoreExact's stream messages.</summary>
internal static class ExactScoringMessages
{
    /// <summary>Refuses options that cannot be scored, before anything is computed.</summary>
    /// <exception cref="ArgumentException">No queries, or duplicate query ids.</exception>
    /// <exception cref="InvalidOperationException">A model fingerprint other than the service's (names both).</exception>
    public static void Validate(ExactScoringOptions options, string modelFingerprint)
    {
        if (options.Queries.Count == 0) throw DomainException.InvalidArgument("ExactScoringOptions.queries is empty: give at least one query", "options.queries");
        if (!double.IsFinite(options.Damping))
            throw DomainException.InvalidArgument($"ExactScoringOptions.damping must be finite (<= 0 means 0.1 x mean eigenvalue); it is {options.Damping}", "options.damping");
        var duplicate = options.Queries.GroupBy(q => q.Id, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
            throw DomainException.InvalidArgument($"ExactScoringOptions.queries has the id '{duplicate.Key}' {duplicate.Count()} times; query ids must be unique", "options.queries.id");
        if (!string.IsNullOrEmpty(options.ModelFingerprint) && !string.Equals(options.ModelFingerprint, modelFingerprint, StringComparison.OrdinalIgnoreCase))
            throw DomainException.FailedPrecondition(
                $"ExactScoringOptions.model_fingerprint is {Short(options.ModelFingerprint)}, this service's model is {Short(modelFingerprint)}: scores would come from another model");
    }

    public static ScoreExactResponse Header(FullSpaceQueryGradients queries, string modelFingerprint, double querySeconds)
    {
        var header = new ExactScoringHeader
        {
            Preconditioned = queries.Preconditioned,
            ModelFingerprint = modelFingerprint,
            QuerySeconds = querySeconds,
        };
        header.QueryIds.AddRange(queries.QueryIds);
        header.Measurements.AddRange(queries.Measurements.Select(m => (float)m));
        header.Damping.AddRange(queries.Damping ?? []);
        return new ScoreExactResponse { Header = header };
    }

    public static ScoreExactResponse Scores(ExactScores scores)
    {
        var message = new ExactExampleScores
        {
            ExampleId = scores.ExampleId,
            Tokens = (uint)scores.Tokens,
            Truncated = scores.Truncated,
            Fidelity = ScoreFidelity.Exact,
        };
        message.ExampleScores.AddRange(scores.ExampleScores);
        if (scores.TokenScores is { } tokens) message.TokenScores.AddRange(tokens);
        return new ScoreExactResponse { Scores = message };
    }

    private static string Short(string fingerprint) => fingerprint.Length > 12 ? fingerprint[..12] + "…" : fingerprint;
}
