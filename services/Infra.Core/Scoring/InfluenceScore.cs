using System.Numerics.Tensors;
using Infra.Core.Errors;

namespace Infra.Core.Scoring;

/// <summary>
/// Example-level influence <c>I(n) = sum over layers of &lt;Q̃_l, Ĝ_{n,l}&gt;</c>: the preconditioned query
/// gradient against an example's projected gradient, both <c>k_out x k_in</c> per layer.
/// Positive means up-weighting the example raises the measurement f (helpful).
/// </summary>
public static class InfluenceScore
{
    /// <summary>The raw (unnormalised) score.</summary>
    /// <exception cref="ArgumentException">Layer counts or layer sizes differ.</exception>
    public static double Example(IReadOnlyList<float[]> preconditionedQuery, IReadOnlyList<float[]> exampleGradient)
    {
        ArgumentNullException.ThrowIfNull(preconditionedQuery);
        ArgumentNullException.ThrowIfNull(exampleGradient);
        if (preconditionedQuery.Count != exampleGradient.Count)
            throw DomainException.InvalidArgument($"query has {preconditionedQuery.Count} layers, the example {exampleGradient.Count}");
        double score = 0;
        for (var l = 0; l < preconditionedQuery.Count; l++)
        {
            if (preconditionedQuery[l].Length != exampleGradient[l].Length)
                throw DomainException.InvalidArgument($"layer {l}: query has {preconditionedQuery[l].Length} values, the example {exampleGradient[l].Length}");
            score += TensorPrimitives.Dot<float>(preconditionedQuery[l], exampleGradient[l]);
        }
        return score;
    }

    /// <summary>The raw score of one example against each of <paramref name="preconditionedQueries"/>, in their order.</summary>
    /// <exception cref="ArgumentException">Layer counts or layer sizes differ.</exception>
    public static double[] AgainstQueries(IReadOnlyList<IReadOnlyList<float[]>> preconditionedQueries, IReadOnlyList<float[]> exampleGradient)
    {
        ArgumentNullException.ThrowIfNull(preconditionedQueries);
        var scores = new double[preconditionedQueries.Count];
        for (var q = 0; q < scores.Length; q++) scores[q] = Example(preconditionedQueries[q], exampleGradient);
        return scores;
    }
}
