namespace Infra.Aggregation.Reports;

/// <summary>One cell of the cross-domain matrix: the mean score of a training domain and difficulty for a query domain.</summary>
/// <param name="QueryDomain">The queries' domain (a row).</param>
/// <param name="TrainingDomain">The training examples' domain (with <paramref name="Difficulty"/>, a column).</param>
/// <param name="Difficulty">The training examples' difficulty.</param>
/// <param name="Mean">Mean example score.</param>
public sealed record CrossDomainCell(string QueryDomain, string TrainingDomain, int Difficulty, double Mean);
