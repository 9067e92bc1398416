using Infra.Contracts.Gradients.V1;

namespace Infra.Client.Rerank;

/// <summary>
/// One example in a query's top or bottom list. <see cref="Score"/> is exact when <see cref="Fidelity"/> is
/// <see cref="ScoreFidelity.Exact"/> (recomputed in the full space), else the compact store's stage 1 score.
/// </summary>
/// <param name="ApproximateScore">The stage 1 score, kept beside an exact one for comparison.</param>
/// <param name="Normalized">Stage 1's normalised score; NaN for exact scores (no exact counterpart).</param>
public sealed record RankedExample(string Id, string Domain, int Difficulty, double Score, double Normalized, double ApproximateScore, ScoreFidelity Fidelity);
