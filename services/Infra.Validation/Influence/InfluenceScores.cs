namespace Infra.Validation.Influence;

/// <summary>
/// Influence of every training example on every query under one projection, per method:
/// <c>Scores[method][q][n] = &lt;Q̃_q, Ĝ_n&gt;</c>, positive when up-weighting example n raises the query's
/// measurement f. <see cref="Measurements"/> holds f per query (mean answer log-likelihood).
/// </summary>
/// <param name="Projection">"full" for the identity projection, else "k=&lt;k&gt;".</param>
/// <param name="ExampleIds">Training example ids, in score order.</param>
/// <param name="QueryIds">Query ids, in score order.</param>
/// <param name="Measurements">f of each query on the model the scores were computed on.</param>
/// <param name="Scores">Per method, <c>[query][example]</c>.</param>
public sealed record InfluenceScores(
    string Projection,
    IReadOnlyList<string> ExampleIds,
    IReadOnlyList<string> QueryIds,
    IReadOnlyList<double> Measurements,
    IReadOnlyDictionary<InfluenceMethod, double[][]> Scores);
