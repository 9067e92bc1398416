namespace Infra.Lab.Corpus.MathProblems;

/// <summary>
/// A problem before it is rendered: the reference steps, the answer, and the kind-specific
/// exploratory material (null where the kind has none; a generic verification is used instead).
/// </summary>
internal sealed record MathDraft(
    string Kind,
    string Prompt,
    string Opening,
    IReadOnlyList<MathStep> Steps,
    Rational Answer,
    IReadOnlyList<Rational> OtherNumbers,
    string? Alternative = null,
    string? Verification = null)
{
    /// <summary>The largest number a solver meets: operands, intermediate results and the prompt's other numbers.</summary>
    public long Magnitude => System.Math.Max(
        Steps.Max(step => step.Magnitude),
        OtherNumbers.Count == 0 ? 0 : OtherNumbers.Max(n => n.Magnitude));

    public int Difficulty => MathDifficulty.Rate(Steps.Count, Magnitude);
}
