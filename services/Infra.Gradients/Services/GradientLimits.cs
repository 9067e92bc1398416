using Infra.Contracts.Gradients.V1;
using Infra.Contracts.Grpc;

namespace Infra.Gradients.Services;

/// <summary>The GradientService's cost limits (<see cref="GradientServiceOptions"/>), checked before a call does any work.</summary>
internal static class GradientLimits
{
    private const string Prefix = GradientServiceOptions.Section + ":";

    public static void Check(GradientOptions options, GradientServiceOptions limits)
    {
        BatchSize("batch_size", options.BatchSize, limits);
        Check(options.Projection, "projection", limits);
    }

    public static void Check(FitFactorsOptions options, GradientServiceOptions limits) => BatchSize("batch_size", options.BatchSize, limits);

    public static void Check(ExactScoringOptions options, GradientServiceOptions limits)
    {
        BatchSize("batch_size", options.BatchSize, limits);
        Queries("queries", options.Queries.Count, limits);
    }

    public static void Check(ComputeQueryGradientsRequest request, GradientServiceOptions limits)
    {
        Queries("queries", request.Queries.Count, limits);
        Check(request.Projection, "projection", limits);
    }

    public static void Check(GenerateRequest request, GradientServiceOptions limits)
    {
        RequestLimit.Entries("prompts", request.Prompts.Count, limits.MaxPrompts, Prefix + nameof(limits.MaxPrompts));
        RequestLimit.AtMost("max_new_tokens", request.MaxNewTokens, limits.MaxNewTokens, Prefix + nameof(limits.MaxNewTokens));
    }

    /// <summary>A projection's dims; identity projections and an unset spec have none to bound.</summary>
    public static void Check(ProjectionSpec? projection, string field, GradientServiceOptions limits)
    {
        if (projection is null || projection.Identity) return;
        RequestLimit.AtMost(field + ".k_in", projection.KIn, limits.MaxProjectionDim, Prefix + nameof(limits.MaxProjectionDim));
        RequestLimit.AtMost(field + ".k_out", projection.KOut, limits.MaxProjectionDim, Prefix + nameof(limits.MaxProjectionDim));
    }

    private static void BatchSize(string field, uint value, GradientServiceOptions limits) =>
        RequestLimit.AtMost(field, value, limits.MaxBatchSize, Prefix + nameof(limits.MaxBatchSize));

    private static void Queries(string field, int count, GradientServiceOptions limits) =>
        RequestLimit.Entries(field, count, limits.MaxQueries, Prefix + nameof(limits.MaxQueries));
}
