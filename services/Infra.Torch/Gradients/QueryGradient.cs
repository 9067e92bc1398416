namespace Infra.Torch.Gradients;

/// <summary>
/// The projected gradient <c>Q̂ = P_out ∇_W(−f) P_inᵀ</c> of one query (or of the mean over a set) for
/// every tracked layer, row-major <c>k_out x k_in</c>. The sign makes <c>&lt;Q̃, Ĝ_n&gt; &gt; 0</c> mean
/// "up-weighting training example n raises f" (helpful).
/// </summary>
/// <param name="QueryId">The query's id; empty for an aggregate.</param>
/// <param name="Measurement">f itself (mean or summed log-likelihood; for an aggregate, the mean over queries).</param>
/// <param name="Preconditioned">True when full-space EK-FAC was applied before projection.</param>
/// <param name="Layers">Per tracked layer, <c>k_out x k_in</c>.</param>
public sealed record QueryGradient(string QueryId, float Measurement, bool Preconditioned, IReadOnlyList<float[]> Layers);
