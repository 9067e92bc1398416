namespace Infra.Corpus;

/// <summary>The names of <see cref="CorpusLayout"/> as the CLI and docs write them.</summary>
public static class CorpusLayouts
{
    private static readonly (CorpusLayout Layout, string Name)[] All =
    [
        (CorpusLayout.Lab, "lab"),
        (CorpusLayout.ProblemSolution, "problem-solution"),
        (CorpusLayout.QuestionAnswer, "question-answer"),
        (CorpusLayout.InstructionOutput, "instruction-output"),
        (CorpusLayout.Messages, "messages"),
        (CorpusLayout.ShareGpt, "sharegpt"),
    ];

    /// <summary>Every layout name: lab, problem-solution, question-answer, instruction-output, messages, sharegpt.</summary>
    public static IReadOnlyList<string> Names { get; } = All.Select(l => l.Name).ToArray();

    /// <summary>The name of <paramref name="layout"/>.</summary>
    public static string Name(CorpusLayout layout) => All.First(l => l.Layout == layout).Name;

    /// <summary>The layout called <paramref name="name"/> (ordinal, case-insensitive).</summary>
    /// <exception cref="ArgumentException">No layout has that name; the message lists them.</exception>
    public static CorpusLayout Parse(string name)
    {
        foreach (var (layout, known) in All)
        {
            if (known.Equals(name, StringComparison.OrdinalIgnoreCase)) return layout;
        }
        throw new ArgumentException($"unknown corpus layout '{name}' (expected one of {string.Join(", ", Names)})", nameof(name));
    }
}
