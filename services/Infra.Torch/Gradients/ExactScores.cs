namespace Infra.Torch.Gradients;

/// <summary>
/// Exact influence of one candidate on every query: <c>ExampleScores[q] = Σ_layers &lt;Q̃_q, Σ_t g_t a_tᵀ&gt;</c>, and, when
/// asked, <c>TokenScores[t * Q + q] = Σ_layers g_tᵀ Q̃_q a_t</c> (row-major token x query, over the candidate's tokens after
/// truncation; tokens without loss score 0). Token scores sum over t to the example scores. Float64.
/// </summary>
/// <param name="ExampleId">The candidate's id.</param>
/// <param name="ExampleScores">Per query, in the queries' order.</param>
/// <param name="TokenScores">Token x query, or null when token scores were not asked for.</param>
/// <param name="Tokens">Tokens scored (after truncation).</param>
/// <param name="Truncated">Whether the candidate was cut to the maximum length.</param>
public sealed record ExactScores(string ExampleId, double[] ExampleScores, double[]? TokenScores, int Tokens, bool Truncated);
