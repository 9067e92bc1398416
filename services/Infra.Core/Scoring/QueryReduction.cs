namespace Infra.Core.Scoring;

/// <summary>
/// How a query's measurement <c>f</c> reduces its answer tokens' log-likelihoods, as recorded in a
/// <see cref="QueryRecipe"/> (the GradientService's own enum lives with TorchSharp, which Core must not reference).
/// </summary>
public enum QueryReduction
{
    /// <summary><c>f = (1/n) sum_t log p(answer token t)</c>: the paper's mean log-likelihood. The default.</summary>
    Mean,

    /// <summary><c>f = sum_t log p(answer token t)</c>.</summary>
    Sum,
}
