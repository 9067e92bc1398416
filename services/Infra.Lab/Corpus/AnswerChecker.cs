using System.Text.RegularExpressions;
using Infra.Lab.Corpus.CodeProblems;
using Infra.Lab.Interpreter;

using Infra.Corpus;

namespace Infra.Lab.Corpus;

/// <summary>
/// Checks responses: math by value (the last line "The answer is X." compared as an exact
/// fraction), predicted output by exact text of the last plain ``` block, and written functions by
/// running them on the hidden tests against the reference implementation.
/// </summary>
public static partial class AnswerChecker
{
    /// <summary>Checks a generated example's own response.</summary>
    public static CheckResult Check(LabExample example)
    {
        ArgumentNullException.ThrowIfNull(example);
        return Check(example, example.Response);
    }

    /// <summary>Checks <paramref name="response"/> as an answer to <paramref name="example"/>'s problem.</summary>
    public static CheckResult Check(LabExample example, string response)
    {
        ArgumentNullException.ThrowIfNull(example);
        return example.Domain == ReasoningDomain.Math ? CheckMath(response, example.Answer)
            : example.Kind == CodeProblemGenerator.WriteFunction ? CheckFunction(response, example.Answer, example.Tests)
            : CheckOutput(response, example.Answer);
    }

    /// <summary>Reads the final answer from the last non-empty line, "The answer is X." (X an integer or a fraction).</summary>
    public static bool TryParseMathAnswer(string response, out Rational value)
    {
        ArgumentNullException.ThrowIfNull(response);
        value = default;
        var last = response.TrimEnd().Split('\n')[^1].Trim();
        var match = AnswerLine().Match(last);
        return match.Success && Rational.TryParse(match.Groups["x"].Value, out value);
    }

    /// <summary>Math by value: 6/8 and 3/4 are the same answer.</summary>
    public static CheckResult CheckMath(string response, string expected)
    {
        if (!Rational.TryParse(expected, out var want))
        {
            return CheckResult.Fail($"the expected answer '{expected}' is not an integer or fraction");
        }
        if (!TryParseMathAnswer(response, out var got))
        {
            return CheckResult.Fail("the response does not end with 'The answer is X.'");
        }
        return got == want ? CheckResult.Pass : CheckResult.Fail($"answer {got} but expected {want}");
    }

    /// <summary>Predicted output: the content of the last ``` block that is not a python block, exactly (trailing newlines aside).</summary>
    public static CheckResult CheckOutput(string response, string expectedOutput)
    {
        ArgumentNullException.ThrowIfNull(expectedOutput);
        var block = LastFence(response, python: false);
        if (block is null)
        {
            return CheckResult.Fail("the response has no ``` block with the output");
        }
        return block.TrimEnd('\n') == expectedOutput.TrimEnd('\n')
            ? CheckResult.Pass
            : CheckResult.Fail($"printed output differs: got '{block.TrimEnd('\n')}'");
    }

    /// <summary>
    /// A written function: the last ```python block is run on each test call and its values must
    /// equal the reference implementation's. Errors in the written code (including limits) fail.
    /// </summary>
    public static CheckResult CheckFunction(string response, string referenceCode, IReadOnlyList<string> tests)
    {
        ArgumentNullException.ThrowIfNull(tests);
        if (tests.Count == 0)
        {
            return CheckResult.Fail("no hidden tests to run");
        }
        var code = LastFence(response, python: true);
        if (code is null)
        {
            return CheckResult.Fail("the response has no ```python block");
        }
        var expected = PythonInterpreter.Run(referenceCode, tests).Values;
        IReadOnlyList<string> actual;
        try
        {
            actual = PythonInterpreter.Run(code, tests).Values;
        }
        catch (PythonException error)
        {
            return CheckResult.Fail($"the written code fails: {error.Message}");
        }
        for (var i = 0; i < tests.Count; i++)
        {
            if (actual[i] != expected[i])
            {
                return CheckResult.Fail($"{tests[i]} returned {actual[i]} but expected {expected[i]}");
            }
        }
        return CheckResult.Pass;
    }

    private static string? LastFence(string response, bool python)
    {
        ArgumentNullException.ThrowIfNull(response);
        string? found = null;
        foreach (Match match in Fence().Matches(response))
        {
            var isPython = match.Groups["lang"].Value is "python" or "py";
            if (isPython == python)
            {
                found = match.Groups["body"].Value;
            }
        }
        return found;
    }

    [GeneratedRegex(@"^The answer is\s+(?<x>-?\d+(\s*/\s*-?\d+)?)\s*\.?$", RegexOptions.CultureInvariant)]
    private static partial Regex AnswerLine();

    [GeneratedRegex(@"^```(?<lang>[a-z]*)\n(?<body>(?:.*\n)*?)```[ \t]*$", RegexOptions.Multiline | RegexOptions.CultureInvariant)]
    private static partial Regex Fence();
}
