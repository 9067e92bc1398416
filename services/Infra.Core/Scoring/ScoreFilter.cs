namespace Infra.Core.Scoring;

/// <summary>Which stored examples a score request covers: domains (null = all) and a difficulty range (inclusive).</summary>
public sealed record ScoreFilter(IReadOnlySet<string>? Domains = null, int? MinDifficulty = null, int? MaxDifficulty = null)
{
    /// <summary>Every example.</summary>
    public static ScoreFilter All { get; } = new();

    public bool Accepts(string domain, int difficulty) =>
        (Domains is null || Domains.Count == 0 || Domains.Contains(domain))
        && (MinDifficulty is null || difficulty >= MinDifficulty)
        && (MaxDifficulty is null || difficulty <= MaxDifficulty);
}
