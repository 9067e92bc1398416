namespace Infra.Corpus;

/// <summary>The two reasoning domains of the paper; written as "math" and "code" in JSONL.</summary>
public enum ReasoningDomain
{
    /// <summary>Math word problems, arithmetic, fractions and small algebra.</summary>
    Math,
    /// <summary>Predict-the-output and write-a-function tasks in the lab's Python subset.</summary>
    Code,
}
