using Infra.Lab.Experiments;

namespace Infra.Cli.Experiment;

/// <summary>
/// One training cell's weight: the formula's raw weight, the per-example weight after the token budget is equalised,
/// and the cell's share of the response tokens without and with the weights.
/// </summary>
internal sealed record CellWeightRow(CellKey Cell, int Examples, long LossTokens, double RawWeight, double Weight, double TokenShare, double WeightedTokenShare);
