namespace Infra.Cli.Experiment;

/// <summary>
/// The paper's measurement on one domain x difficulty cell of the held-out set: <see cref="Sum"/> of the per-problem mean
/// log-likelihood of the reference response (<c>f = (1/n) sum_t log p(answer token t)</c>) over its <see cref="Items"/>
/// problems. Continuous, so it separates conditions where accuracy sits at the floor.
/// </summary>
internal sealed record LikelihoodCell(string Domain, int Difficulty, int Items, double Sum)
{
    /// <summary>The cell's mean f (nats per response token, at most 0).</summary>
    public double Mean => Sum / Items;
}
