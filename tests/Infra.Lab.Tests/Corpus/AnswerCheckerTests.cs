using Infra.Corpus;
using Infra.Lab.Corpus.CodeProblems;
using Infra.Lab.Corpus;

namespace Infra.Lab.Tests.Corpus;

public class AnswerCheckerTests
{
    [Fact]
    public void Every_generated_example_checks_as_correct()
    {
        var failures = GeneratedExamples.All
            .Select(e => (e, result: AnswerChecker.Check(e)))
            .Where(x => !x.result.Correct)
            .Select(x => $"{x.e.Id}: {x.result.Reason}\n{x.e.Response}")
            .ToList();
        Assert.Equal(2000, GeneratedExamples.All.Count);
        Assert.True(failures.Count == 0, string.Join("\n\n", failures.Take(3)));
    }

    [Fact]
    public void A_wrong_final_number_is_caught()
    {
        foreach (var example in GeneratedExamples.All.Where(e => e.Domain == ReasoningDomain.Math))
        {
            Assert.True(Rational.TryParse(example.Answer, out var answer));
            var lines = example.Response.Split('\n');
            lines[^1] = $"The answer is {answer + 1}.";
            Assert.False(AnswerChecker.Check(example, string.Join('\n', lines)).Correct, example.Id);
        }
    }

    [Fact]
    public void A_wrong_printed_output_is_caught()
    {
        foreach (var example in GeneratedExamples.All.Where(e => e.Kind == CodeProblemGenerator.PredictOutput))
        {
            var fenced = $"```\n{example.Answer}\n```";
            Assert.Contains(fenced, example.Response, StringComparison.Ordinal);
            var corrupted = example.Response.Replace(fenced, $"```\n{example.Answer}0\n```", StringComparison.Ordinal);
            Assert.False(AnswerChecker.Check(example, corrupted).Correct, example.Id);
        }
    }

    [Fact]
    public void A_buggy_function_is_caught()
    {
        foreach (var example in GeneratedExamples.All.Where(e => e.Kind == CodeProblemGenerator.WriteFunction))
        {
            // Off by one in every returned value: wrong for ints, a type error for strings.
            var buggy = example.Response.Replace("return ", "return 1 + ", StringComparison.Ordinal);
            var result = AnswerChecker.Check(example, buggy);
            Assert.False(result.Correct, example.Id);
        }
    }

    [Fact]
    public void A_constant_function_fails_the_hidden_tests()
    {
        foreach (var example in GeneratedExamples.All.Where(e => e.Kind == CodeProblemGenerator.WriteFunction))
        {
            var name = example.Answer.Split(' ', '(')[1];
            var parameters = example.Answer.Split('(')[1].Split(')')[0];
            var first = Infra.Lab.Interpreter.PythonInterpreter.Run(example.Answer, [example.Tests[0]]).Values[0];
            var constant = $"```python\ndef {name}({parameters}):\n    return {first}\n```";
            Assert.False(AnswerChecker.Check(example, constant).Correct, example.Id);
        }
    }

    [Theory]
    [InlineData("Some work.\nThe answer is 6/8.", "3/4", true)]
    [InlineData("The answer is -4.", "-4", true)]
    [InlineData("The answer is 4", "4", true)]
    [InlineData("The answer is 5.", "4", false)]
    [InlineData("The answer is 4.\nActually no.", "4", false)]
    [InlineData("I think it is 4.", "4", false)]
    public void Math_answers_compare_by_value_on_the_last_line(string response, string expected, bool correct) =>
        Assert.Equal(correct, AnswerChecker.CheckMath(response, expected).Correct);

    [Fact]
    public void A_function_that_crashes_fails_with_the_error()
    {
        var result = AnswerChecker.CheckFunction("```python\ndef f(x):\n    return y\n```", "def f(x):\n    return x", ["f(1)"]);
        Assert.False(result.Correct);
        Assert.Contains("NameError", result.Reason, StringComparison.Ordinal);
    }
}
