using Infra.Lab.Experiments;

namespace Infra.Cli.Experiment;

/// <summary>
/// Held-out accuracy of one condition on one domain x difficulty cell (<paramref name="Difficulty"/> 1-5), on a whole
/// domain (<paramref name="Difficulty"/> 0) or on everything (<paramref name="Domain"/> "all", difficulty 0): its
/// items, the accuracy of each seed in seed order, and their mean and spread.
/// </summary>
internal sealed record AccuracyRow(string Condition, string Domain, int Difficulty, int Items, IReadOnlyList<double> PerSeed, SeedSpread Accuracy);
