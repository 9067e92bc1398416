namespace Infra.Corpus;

/// <summary>
/// The columns one read uses, resolved from the layout (given or detected) and the overrides; <c>*Named</c> says the
/// user named the column, so a column no row has is an error rather than a default that does not apply.
/// </summary>
internal sealed record ColumnPlan(
    CorpusLayout Layout,
    string Id, bool IdNamed,
    string Domain, bool DomainNamed,
    string Prompt, bool PromptNamed,
    string Response, bool ResponseNamed,
    string Difficulty, bool DifficultyNamed,
    string Messages, bool MessagesNamed,
    string Input, bool InputNamed)
{
    /// <summary>Whether the text comes from a column of chat turns (<see cref="CorpusLayout.Messages"/> or <see cref="CorpusLayout.ShareGpt"/>).</summary>
    public bool IsChat => Layout is CorpusLayout.Messages or CorpusLayout.ShareGpt;

    /// <summary>The plan for <paramref name="options"/> over rows with <paramref name="present"/> columns.</summary>
    public static ColumnPlan For(CorpusReaderOptions options, IReadOnlySet<string> present)
    {
        var c = options.Columns;
        var layout = options.Layout ?? Detect(present);
        var (prompt, response) = layout switch
        {
            CorpusLayout.ProblemSolution => ("problem", "solution"),
            CorpusLayout.QuestionAnswer => ("question", CorpusFields.Answer),
            CorpusLayout.InstructionOutput => ("instruction", "output"),
            _ => (CorpusFields.Prompt, CorpusFields.Response),
        };
        return new ColumnPlan(layout,
            c.Id ?? CorpusFields.Id, c.Id is not null,
            c.Domain ?? CorpusFields.Domain, c.Domain is not null,
            c.Prompt ?? prompt, c.Prompt is not null,
            c.Response ?? response, c.Response is not null,
            c.Difficulty ?? CorpusFields.Difficulty, c.Difficulty is not null,
            c.Messages ?? (layout == CorpusLayout.ShareGpt ? CorpusFields.Conversations : CorpusFields.Messages), c.Messages is not null,
            c.Input ?? "input", c.Input is not null);
    }

    /// <summary>
    /// The layout whose prompt column the rows have, in the order lab, problem/solution, question/answer,
    /// instruction/output, messages, ShareGPT conversations (NuminaMath has both problem and messages: its problem/solution text wins); lab when none.
    /// </summary>
    public static CorpusLayout Detect(IReadOnlySet<string> present) =>
        present.Contains(CorpusFields.Prompt) ? CorpusLayout.Lab
        : present.Contains("problem") ? CorpusLayout.ProblemSolution
        : present.Contains("question") ? CorpusLayout.QuestionAnswer
        : present.Contains("instruction") ? CorpusLayout.InstructionOutput
        : present.Contains(CorpusFields.Messages) ? CorpusLayout.Messages
        : present.Contains(CorpusFields.Conversations) ? CorpusLayout.ShareGpt
        : CorpusLayout.Lab;

}
