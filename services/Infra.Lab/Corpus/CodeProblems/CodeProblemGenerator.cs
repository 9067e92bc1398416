using Infra.Lab.Interpreter;

using Infra.Corpus;

namespace Infra.Lab.Corpus.CodeProblems;

/// <summary>
/// Generates code problems in the lab's Python subset: "what does this program print?" (kind
/// "predict-output", answered by a trace and the exact output) and "write a function" (kind
/// "write-function", answered with code in a ```python fence and checked on hidden tests).
/// Every program is run by <see cref="PythonInterpreter"/> while generating, so answers are
/// computed, never hand-written.
/// </summary>
public static class CodeProblemGenerator
{
    /// <summary>Kind name of "what does this program print?" problems.</summary>
    public const string PredictOutput = "predict-output";

    /// <summary>Kind name of "write a function" problems.</summary>
    public const string WriteFunction = "write-function";

    private const int MaxTestDraws = 50;

    /// <summary>Generates one problem of exactly <paramref name="difficulty"/> (1-5), either kind with equal chance.</summary>
    /// <param name="rng">The only source of randomness.</param>
    /// <param name="difficulty">1 to 5 by <see cref="CodeDifficulty"/>.</param>
    /// <param name="id">The example's id.</param>
    /// <param name="explorationShare">Probability (0-1) that a write-function solution carries a tagged verification on an example input; defaults to 0.3.</param>
    public static LabExample Generate(Random rng, int difficulty, string id, double explorationShare = MathProblems.MathProblemGenerator.DefaultExplorationShare)
    {
        ArgumentNullException.ThrowIfNull(rng);
        ArgumentOutOfRangeException.ThrowIfLessThan(difficulty, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(difficulty, 5);
        return rng.Next(2) == 0
            ? Output(rng, difficulty, id)
            : Function(rng, difficulty, id, explorationShare);
    }

    private static LabExample Output(Random rng, int difficulty, string id)
    {
        var code = OutputPrograms.Build(rng, difficulty);
        var run = PythonInterpreter.Run(code, trace: true);
        var output = run.Output.TrimEnd('\n');
        var builder = new ResponseBuilder().Line("Let me trace the program step by step.");
        foreach (var line in TraceNarrator.Narrate(code, run.Trace))
        {
            builder.Line(line);
        }
        builder.Line("So the program prints:").Line("```").Line(output).Line("```");
        var (response, spans) = builder.Build();
        var prompt = $"What does this program print?\n```python\n{code}\n```";
        return new LabExample(id, ReasoningDomain.Code, Checked(difficulty, CodeDifficulty.Rate(code), code), PredictOutput, prompt, response, output, spans, []);
    }

    private static LabExample Function(Random rng, int difficulty, string id, double explorationShare)
    {
        var task = FunctionTasks.Build(rng, difficulty);
        // Hidden tests on which the reference gives one value would pass a constant function; redraw.
        for (var attempt = 0; attempt < MaxTestDraws && PythonInterpreter.Run(task.Code, task.Tests).Values.Distinct().Count() < 2; attempt++)
        {
            task = FunctionTasks.Build(rng, difficulty);
        }
        var builder = new ResponseBuilder()
            .Line(task.Approach)
            .Line("```python").Line(task.Code).Line("```");
        if (rng.NextDouble() < explorationShare)
        {
            var example = task.Tests[0];
            var value = PythonInterpreter.Run(task.Code, [example]).Values[0];
            builder.Tagged(SpanKind.Verification, $"Wait, let me verify with an example: running {example} on this code gives {value}, which is what the description asks for.");
        }
        var (response, spans) = builder.Build();
        var prompt = $"Write a Python function {task.Request}.";
        return new LabExample(id, ReasoningDomain.Code, Checked(difficulty, CodeDifficulty.Rate(task.Code, task.Name), task.Code),
            WriteFunction, prompt, response, task.Code, spans, task.Tests);
    }

    private static int Checked(int intended, int rated, string code) => intended == rated
        ? intended
        : throw new InvalidOperationException($"template meant for difficulty {intended} rates {rated}:\n{code}");
}
