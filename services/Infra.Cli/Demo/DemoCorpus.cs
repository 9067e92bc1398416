using System.Globalization;
using Infra.Contracts.Gradients.V1;

namespace Infra.Cli.Demo;

/// <summary>
/// A small, deterministic math/code corpus with difficulty levels for the demo: arithmetic with a
/// worked chain of thought (some with a verification step), and "what does this program print"
/// tasks with a trace. Training examples and held-out queries come from disjoint seeds.
/// </summary>
internal static class DemoCorpus
{
    /// <summary><paramref name="count"/> training examples, alternating math and code.</summary>
    public static IReadOnlyList<Example> Training(int count, int seed = 1) =>
        Enumerable.Range(0, count).Select(i => i % 2 == 0 ? Math(new Random(seed * 1_000 + i), $"train-math-{i / 2}") : Code(new Random(seed * 1_000 + i), $"train-code-{i / 2}")).ToList();

    /// <summary>Held-out queries (prompt + correct answer), half math, half code.</summary>
    public static IReadOnlyList<Example> Queries(int count, int seed = 2) =>
        Enumerable.Range(0, count).Select(i => i % 2 == 0 ? Math(new Random(seed * 1_000_003 + i), $"query-math-{i / 2}") : Code(new Random(seed * 1_000_003 + i), $"query-code-{i / 2}")).ToList();

    private static Example Math(Random random, string id)
    {
        var difficulty = random.Next(1, 6);
        var limit = (int)System.Math.Pow(10, 1 + difficulty / 2);
        var a = random.Next(2, limit);
        var b = random.Next(2, limit);
        var c = random.Next(2, 10);
        string prompt, response;
        if (difficulty <= 2)
        {
            prompt = F($"What is {a} + {b}?");
            response = F($"We add {a} and {b}: {a} + {b} = {a + b}. The answer is {a + b}.");
        }
        else
        {
            prompt = F($"Compute ({a} + {b}) * {c}.");
            var sum = a + b;
            response = F($"First, {a} + {b} = {sum}. Then {sum} * {c} = {sum * c}.");
            if (difficulty >= 4)
                response += F($" Wait, let me verify: {sum * c} / {c} = {sum}, and {sum} - {b} = {a}. Correct.");
            response += F($" The answer is {sum * c}.");
        }
        return new Example { Id = id, Prompt = prompt, Response = response, Domain = "math", Difficulty = difficulty };
    }

    private static Example Code(Random random, string id)
    {
        var difficulty = random.Next(1, 6);
        var x = random.Next(1, 20);
        var k = random.Next(2, 6);
        string program, trace;
        int result;
        if (difficulty <= 2)
        {
            program = F($"x = {x}\nx = x * {k}\nprint(x)");
            result = x * k;
            trace = F($"x starts at {x}, then x = {x} * {k} = {result}.");
        }
        else
        {
            program = F($"total = 0\nfor i in range({k}):\n    total += i + {x}\nprint(total)");
            result = Enumerable.Range(0, k).Sum(i => i + x);
            trace = F($"The loop adds i + {x} for i from 0 to {k - 1}: ") +
                string.Join(" + ", Enumerable.Range(0, k).Select(i => (i + x).ToString(CultureInfo.InvariantCulture))) + F($" = {result}.");
        }
        var response = trace + F($"\n```python\nprint({result})\n```\nIt prints {result}.");
        return new Example { Id = id, Prompt = "What does this program print?\n```python\n" + program + "\n```", Response = response, Domain = "code", Difficulty = difficulty };
    }

    private static string F(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);
}
