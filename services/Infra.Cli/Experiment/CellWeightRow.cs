using Infra.Lab.Experiments;

namespace Infra.Cli.Experiment;

/// <summary>
/// One training cell's weight: m_c (its mean influence on its own domain's queries), z_c, the clamped raw weight r_c,
/// the weight w_c every example of the cell trains with, and the cell's share of the response tokens without and with
/// the weights.
/// </summary>
internal sealed record CellWeightRow(
    CellKey Cell, int Examples, long LossTokens, double MeanInfluence, double Z, double RawWeight, double Weight, double TokenShare, double WeightedTokenShare);
