namespace Infra.Lab.Corpus.MathProblems;

/// <summary>Renders a draft as a chain of thought, inserting tagged exploratory lines when asked to.</summary>
internal static class MathResponseWriter
{
    /// <summary>Writes the solution; with <paramref name="explore"/> set, adds one or two tagged behaviours chosen from it.</summary>
    public static (string Text, IReadOnlyList<TaggedSpan> Spans) Write(MathDraft draft, Random? explore)
    {
        var behaviours = explore is null ? [] : Choose(draft, explore);
        var backtrack = behaviours.FirstOrDefault(b => b.Kind == SpanKind.Backtracking);
        var builder = new ResponseBuilder().Line(draft.Opening);
        for (var i = 0; i < draft.Steps.Count; i++)
        {
            if (backtrack is not null && backtrack.StepIndex == i)
            {
                builder.Tagged(SpanKind.Backtracking, backtrack.Text);
            }
            builder.Line(draft.Steps[i].Text);
        }
        foreach (var behaviour in behaviours.Where(b => b.Kind != SpanKind.Backtracking))
        {
            builder.Tagged(behaviour.Kind, behaviour.Text);
        }
        builder.Line($"The answer is {MathText.Format(draft.Answer)}.");
        return builder.Build();
    }

    private static List<Behaviour> Choose(MathDraft draft, Random rng)
    {
        var available = new List<Behaviour>();
        if (draft.Alternative is not null)
        {
            available.Add(new Behaviour(SpanKind.Exploration, draft.Alternative, -1));
        }
        available.Add(new Behaviour(SpanKind.Verification, draft.Verification ?? UndoEachStep(draft), -1));
        if (DoubleCheck(draft) is { } doubleCheck)
        {
            available.Add(new Behaviour(SpanKind.Verification, doubleCheck, -1));
        }
        if (Backtrack(draft, rng) is { } backtrack)
        {
            available.Add(backtrack);
        }
        var count = System.Math.Min(available.Count, rng.Next(1, 3));
        return available.OrderBy(_ => rng.Next()).Take(count).ToList();
    }

    /// <summary>A real check of every step by its inverse operation.</summary>
    private static string UndoEachStep(MathDraft draft)
    {
        var checks = draft.Steps
            .Where(s => !(s.Op == '*' && s.Right.Numerator == 0))
            .Select(s => s.Op switch
            {
                '+' => $"{MathText.Expression(s.Result, '-', s.Right)} = {MathText.Format(s.Left)}",
                '-' => $"{MathText.Expression(s.Result, '+', s.Right)} = {MathText.Format(s.Left)}",
                '*' => $"{MathText.Expression(s.Result, '/', s.Right)} = {MathText.Format(s.Left)}",
                _ => $"{MathText.Expression(s.Result, '*', s.Right)} = {MathText.Format(s.Left)}",
            });
        return $"Wait, let me verify each step by undoing it: {string.Join(", ", checks)}. Every step checks out.";
    }

    /// <summary>Recomputes a multiplication by a two-digit number through its tens and ones.</summary>
    private static string? DoubleCheck(MathDraft draft)
    {
        var step = draft.Steps.FirstOrDefault(s => s.Op == '*' && s.Left.IsInteger && s.Right.IsInteger && s.Right.Numerator >= 11 && s.Right.Numerator % 10 != 0);
        if (step is null)
        {
            return null;
        }
        var left = step.Left.Numerator;
        var tens = step.Right.Numerator / 10 * 10;
        var ones = step.Right.Numerator % 10;
        return $"Let me double-check {MathText.Int(left)} * {MathText.Int(step.Right.Numerator)} by splitting {MathText.Int(step.Right.Numerator)} into {MathText.Int(tens)} + {MathText.Int(ones)}: " +
            $"{MathText.Int(left)} * {MathText.Int(tens)} + {MathText.Int(left)} * {MathText.Int(ones)} = {MathText.Int(left * tens)} + {MathText.Int(left * ones)} = {MathText.Format(step.Result)}. Correct.";
    }

    /// <summary>A tempting wrong operation at one step, noticed and abandoned before the right one.</summary>
    private static Behaviour? Backtrack(MathDraft draft, Random rng)
    {
        var index = rng.Next(draft.Steps.Count);
        var step = draft.Steps[index];
        var wrongOp = step.Op switch { '+' => '*', '-' => '+', '*' => '+', _ => '*' };
        var wrong = MathText.Apply(step.Left, wrongOp, step.Right);
        if (wrong == step.Result)
        {
            return null;
        }
        var text = $"Hmm, my first thought here was {MathText.Expression(step.Left, wrongOp, step.Right)} = {MathText.Format(wrong)}, but that is the wrong operation: this step needs {MathText.OperationName(step.Op)}. Let me go back and redo it.";
        return new Behaviour(SpanKind.Backtracking, text, index);
    }

    private sealed record Behaviour(SpanKind Kind, string Text, int StepIndex);
}
