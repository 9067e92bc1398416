namespace Infra.Lab.Corpus.MathProblems;

/// <summary>"Solve for x: 3x + 5 = 20" (two steps) and "5x + 4 = 2x + 19" (three steps).</summary>
internal static class EquationProblems
{
    public const int MinSteps = 2;
    public const int MaxSteps = 3;

    public static MathDraft Draft(Random rng, int stepCount, long limit)
    {
        var small = System.Math.Max(3, limit / 8);
        // Mostly integer solutions, sometimes a fraction, as in school exercises.
        var x = rng.Next(4) == 0
            ? new Rational(MathText.Between(rng, 1, small), MathText.Between(rng, 2, 9))
            : new Rational(MathText.Between(rng, 1, small));
        return stepCount <= 2 ? OneSided(rng, x, limit) : TwoSided(rng, x, limit);
    }

    private static MathDraft OneSided(Random rng, Rational x, long limit)
    {
        var a = x.Denominator > 1 ? x.Denominator * MathText.Between(rng, 1, 3) : MathText.Between(rng, 2, System.Math.Max(3, limit / 8));
        var b = MathText.Between(rng, 1, limit);
        var c = (a * x) + b;
        var difference = c - b;
        var steps = new List<MathStep>
        {
            MathStep.Of($"Subtract {MathText.Int(b)} from both sides:", c, '-', b, tail: $", so {MathText.Int(a)}x = {MathText.Format(difference)}"),
            MathStep.Of($"Divide both sides by {MathText.Int(a)}:", difference, '/', a, tail: ", so x is that value"),
        };
        var prompt = $"Solve for x: {MathText.Int(a)}x + {MathText.Int(b)} = {MathText.Format(c)}.";
        var verification = $"Wait, let me verify: substituting x = {MathText.Format(x)} gives {MathText.Int(a)} * {MathText.Operand(x)} + {MathText.Int(b)} = {MathText.Format(a * x)} + {MathText.Int(b)} = {MathText.Format(c)}, which matches the right side.";
        var alternative = $"Alternatively, divide everything by {MathText.Int(a)} first: x + {MathText.Format(new Rational(b, a))} = {MathText.Format(c / a)}, so x = {MathText.Format(c / a)} - {MathText.Format(new Rational(b, a))} = {MathText.Format(x)}.";
        return new MathDraft("equation", prompt, "I need to isolate x.", steps, x, [a, b, c], alternative, verification);
    }

    private static MathDraft TwoSided(Random rng, Rational x, long limit)
    {
        var c = MathText.Between(rng, 1, System.Math.Max(2, limit / 10));
        var net = x.Denominator > 1 ? x.Denominator : MathText.Between(rng, 1, System.Math.Max(2, limit / 10));
        var a = c + net;
        var b = MathText.Between(rng, 1, limit);
        var left = (a * x) + b;
        var d = left - (c * x);
        var steps = new List<MathStep>
        {
            MathStep.Of($"Subtract {MathText.Int(c)}x from both sides; the x terms combine as", a, '-', c, tail: $", so {MathText.Int(net)}x + {MathText.Int(b)} = {MathText.Format(d)}"),
            MathStep.Of($"Subtract {MathText.Int(b)} from both sides:", d, '-', b, tail: $", so {MathText.Int(net)}x = {MathText.Format(d - b)}"),
            MathStep.Of($"Divide both sides by {MathText.Int(net)}:", d - b, '/', net),
        };
        var prompt = $"Solve for x: {MathText.Int(a)}x + {MathText.Int(b)} = {MathText.Int(c)}x + {MathText.Format(d)}.";
        var verification = $"Wait, let me verify: with x = {MathText.Format(x)} the left side is {MathText.Int(a)} * {MathText.Operand(x)} + {MathText.Int(b)} = {MathText.Format(left)} and the right side is {MathText.Int(c)} * {MathText.Operand(x)} + {MathText.Format(d)} = {MathText.Format((c * x) + d)}; they are equal.";
        return new MathDraft("equation", prompt, "I will collect the x terms on the left and the numbers on the right.", steps, x, [a, b, c, d], null, verification);
    }
}
