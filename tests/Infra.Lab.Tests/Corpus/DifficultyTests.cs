using Infra.Corpus;
using Infra.Lab.Corpus.CodeProblems;
using Infra.Lab.Corpus;

namespace Infra.Lab.Tests.Corpus;

public class DifficultyTests
{
    [Theory]
    [InlineData(1, 5, 1)]
    [InlineData(2, 20, 1)]
    [InlineData(2, 21, 2)]
    [InlineData(3, 100, 3)]
    [InlineData(2, 1000, 3)]
    [InlineData(1, 1001, 3)]
    [InlineData(6, 5, 5)]
    [InlineData(5, 5000, 5)]
    public void Math_difficulty_follows_steps_and_number_size(int steps, long magnitude, int expected) =>
        Assert.Equal(expected, MathDifficulty.Rate(steps, magnitude));

    [Theory]
    [InlineData("x = 1\nprint(x)", null, 1)]
    [InlineData("x = 1\nif x:\n    print(x)", null, 2)]
    [InlineData("for i in range(3):\n    if i:\n        print(i)", null, 3)]
    [InlineData("n = 3\nwhile n:\n    n -= 1", null, 3)]
    [InlineData("for i in range(3):\n    for j in range(3):\n        print(i)", null, 4)]
    [InlineData("def h(x):\n    return x\nprint(h(1))", null, 4)]
    [InlineData("def f(x):\n    return h(x)\ndef h(x):\n    return x", "f", 4)]
    [InlineData("def f(x):\n    return x + 1", "f", 1)]
    [InlineData("def f(n):\n    if n == 0:\n        return 0\n    return f(n - 1)", "f", 5)]
    [InlineData("a = 1\na = 1\na = 1\na = 1\na = 1\na = 1\na = 1\na = 1\na = 1\na = 1\na = 1\na = 1\na = 1", null, 2)]
    public void Code_difficulty_follows_control_flow_and_size(string source, string? function, int expected) =>
        Assert.Equal(expected, CodeDifficulty.Rate(source, function));

    [Fact]
    public void Every_generated_example_is_rated_at_its_stated_difficulty_and_all_kinds_appear()
    {
        foreach (var example in GeneratedExamples.All.Where(e => e.Domain == ReasoningDomain.Code))
        {
            var code = example.Kind == CodeProblemGenerator.WriteFunction
                ? example.Answer
                : example.Prompt.Split("```python\n")[1].Split("\n```")[0];
            var function = example.Kind == CodeProblemGenerator.WriteFunction ? code.Split(' ', '(')[1] : null;
            Assert.Equal(example.Difficulty, CodeDifficulty.Rate(code, function));
        }
        var kinds = GeneratedExamples.All.GroupBy(e => e.Domain).ToDictionary(g => g.Key, g => g.Select(e => e.Kind).ToHashSet());
        Assert.Equal(["ages", "arithmetic", "equation", "fractions", "rates", "shopping"], kinds[ReasoningDomain.Math].Order());
        Assert.Equal([CodeProblemGenerator.PredictOutput, CodeProblemGenerator.WriteFunction], kinds[ReasoningDomain.Code].Order());
    }

    [Fact]
    public void Harder_math_levels_have_more_steps_or_bigger_numbers()
    {
        static double MeanLength(int level) => GeneratedExamples.All
            .Where(e => e.Domain == ReasoningDomain.Math && e.Difficulty == level && e.Spans.Count == 0)
            .Average(e => e.Response.Length);
        Assert.True(MeanLength(1) < MeanLength(3) && MeanLength(3) < MeanLength(5));
    }
}
