namespace Infra.Aggregation.Reports;

/// <summary>What was attributed: shown in the report's summary.</summary>
public sealed record ReportRunInfo
{
    /// <summary>The report's title. Defaults to "Influence report".</summary>
    public string Title { get; init; } = "Influence report";

    /// <summary>The model, e.g. its path and fingerprint. Required.</summary>
    public required string Model { get; init; }

    /// <summary>The training corpus (name or path). Required.</summary>
    public required string Corpus { get; init; }

    /// <summary>The query sets scored, e.g. "queries-math.jsonl". Defaults to empty.</summary>
    public IReadOnlyList<string> QuerySets { get; init; } = [];

    /// <summary>
    /// The query domains the report has a column or chart for, in display order; a domain with no data
    /// gets a note instead. Defaults to ["math", "code"].
    /// </summary>
    public IReadOnlyList<string> QueryDomains { get; init; } = ["math", "code"];

    /// <summary>
    /// The roll-up's grouping columns (first = the rows' group, second = the subgroup). Defaults to ["domain", "difficulty"],
    /// under which the tables keep their "training domain" and "difficulty" headings.
    /// </summary>
    public IReadOnlyList<string> GroupBy { get; init; } = ["domain", "difficulty"];

    /// <summary>
    /// What the difficulty levels mean, one line ("column 'level' mapped to levels: ...", "estimated: ..."). Defaults to ""
    /// (not stated).
    /// </summary>
    public string DifficultyScheme { get; init; } = "";

    /// <summary>The preconditioner, e.g. "EK-FAC (damping 0.1 x mean eigenvalue)". Required.</summary>
    public required string Preconditioner { get; init; }

    /// <summary>
    /// Which scores are exact (the paper's quantity, recomputed in the full space) and which approximate (the compact
    /// store's stage 1). Defaults to "" (not stated; the report then says the scores are approximate).
    /// </summary>
    public string Fidelity { get; init; } = "";

    /// <summary>Training examples scored.</summary>
    public int TrainingExamples { get; init; }

    /// <summary>Training tokens scored (response and prompt).</summary>
    public long TrainingTokens { get; init; }

    /// <summary>Queries scored.</summary>
    public int Queries { get; init; }

    /// <summary>When the scores were computed (shown in UTC; the writer never reads the clock).</summary>
    public DateTimeOffset Created { get; init; }
}
