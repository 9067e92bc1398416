namespace Infra.Lab.Experiments;

/// <summary>One influence score: training example of cell <paramref name="Train"/> on a query of <paramref name="QueryDomain"/>.</summary>
public readonly record struct InfluenceScore(string QueryDomain, string ExampleId, CellKey Train, double Score);
