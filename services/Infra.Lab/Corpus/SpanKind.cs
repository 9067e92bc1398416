namespace Infra.Lab.Corpus;

/// <summary>Kinds of exploratory behaviour tagged in responses; written in lower case in JSONL.</summary>
public enum SpanKind
{
    /// <summary>A second, different method that reaches the same answer ("Alternatively, ...").</summary>
    Exploration,
    /// <summary>A real check of the result or of a step ("Wait, let me verify: ...", "Let me double-check ...").</summary>
    Verification,
    /// <summary>A wrong turn that is noticed and abandoned before the correct step.</summary>
    Backtracking,
}
