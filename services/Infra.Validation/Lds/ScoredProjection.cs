namespace Infra.Validation.Lds;

/// <summary>The influence scores of one projection as saved in the run folder (<c>scores/*.json</c>), with the seconds they took.</summary>
public sealed record ScoredProjection(string Projection, double Seconds, Influence.InfluenceScores Scores);
