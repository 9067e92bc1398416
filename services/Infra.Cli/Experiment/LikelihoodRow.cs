using Infra.Lab.Experiments;

namespace Infra.Cli.Experiment;

/// <summary>
/// The held-out reference responses' mean answer log-likelihood under one condition, on a cell, a whole domain
/// (<paramref name="Difficulty"/> 0) or everything (<paramref name="Domain"/> "all"): the value of each seed in seed
/// order, and their mean and spread. Higher (closer to 0) is better.
/// </summary>
internal sealed record LikelihoodRow(string Condition, string Domain, int Difficulty, int Items, IReadOnlyList<double> PerSeed, SeedSpread LogLikelihood);
