namespace Infra.Validation.Fidelity;

/// <summary>
/// Exact full-space EK-FAC influence <c>[query][example]</c> and, per k, the eigen-truncated stage-1 scores computed
/// in the same pass over the training gradients.
/// </summary>
/// <param name="Exact">The reference: <c>&lt;Q̃_q, G_n&gt;</c> over every tracked weight, no projection.</param>
/// <param name="EigenTruncated">Per k: both sides kept on the top-k eigenvectors of A and of S.</param>
/// <param name="ExactSeconds">Query preconditioning plus the pass over the training gradients and the dot products.</param>
/// <param name="EigenSeconds">The rotations into the truncated eigenbases and their dot products, every k together.</param>
public sealed record ExactScores(double[][] Exact, IReadOnlyDictionary<int, double[][]> EigenTruncated, double ExactSeconds, double EigenSeconds);
