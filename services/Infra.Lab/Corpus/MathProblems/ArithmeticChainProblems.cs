namespace Infra.Lab.Corpus.MathProblems;

/// <summary>"Start with 7. Add 5, then multiply by 3, ..." — one operation per step.</summary>
internal static class ArithmeticChainProblems
{
    public const int MinSteps = 1;
    public const int MaxSteps = 6;

    public static MathDraft Draft(Random rng, int stepCount, long limit)
    {
        var start = MathText.Between(rng, 2, limit);
        var value = new Rational(start);
        var steps = new List<MathStep>();
        var phrases = new List<string>();
        Rational multiplier = 1;
        Rational offset = 0;
        for (var i = 0; i < stepCount; i++)
        {
            var op = "+-*"[rng.Next(3)];
            var operand = op == '*' ? MathText.Between(rng, 2, System.Math.Max(3, limit / 10)) : MathText.Between(rng, 1, limit);
            if (op == '-' && operand > value.Numerator)
            {
                op = '+'; // keep the chain non-negative: a reader should not meet negatives at level 1
            }
            var step = MathStep.Of(i == 0 ? "First," : "Then,", value, op, operand);
            steps.Add(step);
            value = step.Result;
            phrases.Add(op switch
            {
                '+' => $"add {MathText.Int(operand)}",
                '-' => $"subtract {MathText.Int(operand)}",
                _ => $"multiply by {MathText.Int(operand)}",
            });
            (multiplier, offset) = op switch
            {
                '+' => (multiplier, offset + operand),
                '-' => (multiplier, offset - operand),
                _ => (multiplier * operand, offset * operand),
            };
        }
        var instructions = string.Join(", then ", phrases);
        var prompt = $"Start with {MathText.Int(start)}. {char.ToUpperInvariant(instructions[0])}{instructions[1..]}. What number do you get?";
        var linear = start * multiplier;
        var alternative =
            $"Alternatively, every operation is linear, so the whole chain maps a starting number s to s * {MathText.Format(multiplier)} + {MathText.Operand(offset)}. " +
            $"With s = {MathText.Int(start)}: {MathText.Int(start)} * {MathText.Format(multiplier)} = {MathText.Format(linear)}, and {MathText.SignedSum([linear, offset])} = {MathText.Format(linear + offset)}, the same result.";
        return new MathDraft("arithmetic", prompt, "Let me apply the operations one at a time.", steps, value, [start], alternative);
    }
}
