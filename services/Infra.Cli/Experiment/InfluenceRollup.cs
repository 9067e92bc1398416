namespace Infra.Cli.Experiment;

/// <summary>What the influence roll-up measured on the influence model; kept in the run folder as influence.json.</summary>
internal sealed record InfluenceRollup
{
    /// <summary>Training examples scored (a sample balanced over cells).</summary>
    public required int Examples { get; init; }

    public required int MathQueries { get; init; }

    public required int CodeQueries { get; init; }

    public required int ProjectionDim { get; init; }

    public required double Seconds { get; init; }

    /// <summary>
    /// "approximate" or "exact": how the cell means were computed. Defaults to "approximate": a roll-up of every example
    /// on every query is stage 1 scores from the compact store (a run folder written before this field had the same).
    /// </summary>
    public string Fidelity { get; init; } = "approximate";

    /// <summary>Mean raw influence per training cell, on math queries, on code queries, and both counted equally.</summary>
    public required IReadOnlyList<InfluenceCell> Cells { get; init; }
}
