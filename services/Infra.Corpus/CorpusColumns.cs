namespace Infra.Corpus;

/// <summary>
/// Column-name overrides for a corpus; null means the layout's own name. Defaults to all null.
/// </summary>
public sealed record CorpusColumns
{
    /// <summary>The id column. Defaults to "id"; when no row has it (and it was not named here) ids are made from the file stem and row number.</summary>
    public string? Id { get; init; }

    /// <summary>The domain column. Defaults to "domain"; rows without one take <see cref="CorpusReaderOptions.Domain"/>.</summary>
    public string? Domain { get; init; }

    /// <summary>The prompt column. Defaults to the layout's: prompt, problem, question, instruction (unused by <see cref="CorpusLayout.Messages"/>).</summary>
    public string? Prompt { get; init; }

    /// <summary>The response column. Defaults to the layout's: response, solution, answer, output (unused by <see cref="CorpusLayout.Messages"/>).</summary>
    public string? Response { get; init; }

    /// <summary>The difficulty column. Defaults to "difficulty"; rows without a value are unlabelled (level 0).</summary>
    public string? Difficulty { get; init; }

    /// <summary>The turns column of <see cref="CorpusLayout.Messages"/> and <see cref="CorpusLayout.ShareGpt"/>. Defaults to "messages", or "conversations" for ShareGPT.</summary>
    public string? Messages { get; init; }

    /// <summary>The Alpaca input column appended to the instruction. Defaults to "input" (<see cref="CorpusLayout.InstructionOutput"/> only).</summary>
    public string? Input { get; init; }

    /// <summary>No overrides.</summary>
    public static CorpusColumns None { get; } = new();
}
