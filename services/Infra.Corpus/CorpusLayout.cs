namespace Infra.Corpus;

/// <summary>
/// The column layouts the readers know. Each names the columns of the text; every column name can still be overridden
/// through <see cref="CorpusColumns"/>.
/// </summary>
public enum CorpusLayout
{
    /// <summary>The lab's own schema: id, domain, difficulty, prompt, response (the default, read exactly as before).</summary>
    Lab,
    /// <summary>MATH / NuminaMath style: problem -> prompt, solution -> response.</summary>
    ProblemSolution,
    /// <summary>GSM8K style: question -> prompt, answer -> response.</summary>
    QuestionAnswer,
    /// <summary>Alpaca style: instruction -> prompt (a non-empty input column appended after a blank line), output -> response.</summary>
    InstructionOutput,
    /// <summary>
    /// A messages column of {role, content} turns: the last user turn is the prompt, the last assistant turn the response,
    /// every turn (system included) is kept in <see cref="CorpusRecord.Messages"/>. Multi-turn rendering is a later issue.
    /// </summary>
    Messages,
}
