using Infra.Corpus;

namespace Infra.Lab.Corpus;

/// <summary>One generated problem with its solution.</summary>
/// <param name="Id">Unique within a corpus.</param>
/// <param name="Domain">Math or code.</param>
/// <param name="Difficulty">1 (easiest) to 5; see <see cref="MathDifficulty"/> and <see cref="CodeDifficulty"/>.</param>
/// <param name="Kind">The generator template, e.g. "equation", "shopping", "predict-output", "write-function".</param>
/// <param name="Prompt">The problem as the user asks it.</param>
/// <param name="Response">The chain-of-thought solution; math ends with "The answer is X."</param>
/// <param name="Answer">Math: the answer as an integer or reduced fraction. Predict-output: the exact
/// printed output. Write-function: the reference implementation.</param>
/// <param name="Spans">Tagged exploratory stretches of <paramref name="Response"/>, in order.</param>
/// <param name="Tests">Write-function only: the hidden test calls, e.g. "f(3, [1, 2])"; empty otherwise.</param>
public sealed record LabExample(
    string Id,
    ReasoningDomain Domain,
    int Difficulty,
    string Kind,
    string Prompt,
    string Response,
    string Answer,
    IReadOnlyList<TaggedSpan> Spans,
    IReadOnlyList<string> Tests);
