namespace Infra.Core.Scoring;

/// <summary>
/// One example's influence on one query. <see cref="Score"/> is raw: <c>sum over layers of &lt;Q̃, Ĝ&gt;</c>,
/// positive = helpful. <see cref="Normalized"/> is the cosine in the preconditioned metric,
/// <c>Score / sqrt(&lt;Ĝ, H⁻¹Ĝ&gt; &lt;Q̂, H⁻¹Q̂&gt;)</c> (TrackStar-style), when a preconditioner supplies the norms.
/// </summary>
public sealed record ScoredExample(string Id, string Domain, int Difficulty, double Score, double? Normalized);
