using Infra.Lab.Experiments;

namespace Infra.Cli.Experiment;

/// <summary>
/// The mean influence of one training cell's examples on the math queries, on the code queries, and the mean of the two
/// (each query domain counts equally, however many queries it has); NaN where a domain has no query.
/// </summary>
internal sealed record InfluenceCell(CellKey Cell, int Examples, double OnMath, double OnCode, double Mean);
