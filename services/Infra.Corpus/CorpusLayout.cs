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
    /// A messages column of {role, content} turns (TRL's and HF datasets' form), any number of them: the last user turn
    /// is the prompt, the last assistant turn the response, every turn (system included) is kept in
    /// <see cref="CorpusRecord.Messages"/> for rendering with a checkpoint's own chat template.
    /// </summary>
    Messages,
    /// <summary>
    /// ShareGPT: a conversations column of {from, value} turns, read as <see cref="Messages"/> with the roles renamed
    /// (human to user, gpt to assistant; system, user and assistant kept).
    /// </summary>
    ShareGpt,
}
