namespace Infra.Core.Scoring;

/// <summary>
/// One query's projected gradient <c>Q̂ = P_out ∇(−f) P_inᵀ</c> per tracked layer (<c>k_out x k_in</c>),
/// its measurement f, and whether it arrives already preconditioned (full-space EK-FAC by the
/// gradient service) — then no projected preconditioner may be applied on top.
/// </summary>
public sealed record Query(string Id, string Domain, float Measurement, bool Preconditioned, IReadOnlyList<float[]> Gradients);
