using Infra.Corpus;
using Infra.Lab.Corpus.CodeProblems;
using Infra.Lab.Corpus.MathProblems;
using Infra.Lab.Corpus;

namespace Infra.Lab.Tests.Corpus;

/// <summary>A fixed sample of generated examples shared by the checker tests: 1,000 per domain, 200 per difficulty.</summary>
internal static class GeneratedExamples
{
    private static readonly Lazy<IReadOnlyList<LabExample>> Sample = new(() => Generate(seed: 20250525, perCell: 200));

    public static IReadOnlyList<LabExample> All => Sample.Value;

    public static IReadOnlyList<LabExample> Generate(int seed, int perCell, double explorationShare = 0.3)
    {
        var rng = new Random(seed);
        var examples = new List<LabExample>();
        for (var difficulty = 1; difficulty <= 5; difficulty++)
        {
            for (var i = 0; i < perCell; i++)
            {
                examples.Add(MathProblemGenerator.Generate(rng, difficulty, $"math-{difficulty}-{i}", explorationShare));
                examples.Add(CodeProblemGenerator.Generate(rng, difficulty, $"code-{difficulty}-{i}", explorationShare));
            }
        }
        return examples;
    }
}
