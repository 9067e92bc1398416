namespace Infra.Lab.Corpus.MathProblems;

/// <summary>"Compute 1/2 + 2/3 - 1/4." — left to right, each step over a common denominator.</summary>
internal static class FractionProblems
{
    public const int MinSteps = 1;
    public const int MaxSteps = 5;

    public static MathDraft Draft(Random rng, int stepCount, long limit)
    {
        var maxDenominator = System.Math.Clamp(limit / 4, 3, 40);
        var terms = new List<Rational>();
        for (var i = 0; i <= stepCount; i++)
        {
            var denominator = MathText.Between(rng, 2, maxDenominator);
            terms.Add(new Rational(MathText.Between(rng, 1, denominator - 1), denominator));
        }
        var steps = new List<MathStep>();
        var ops = new List<char>();
        var value = terms[0];
        for (var i = 1; i < terms.Count; i++)
        {
            var op = rng.Next(4) == 0 ? '*' : rng.Next(2) == 0 ? '+' : '-';
            if (op == '-' && (value - terms[i]).Numerator < 0)
            {
                op = '+';
            }
            ops.Add(op);
            var step = MathStep.Of(i == 1 ? "First," : "Then,", value, op, terms[i], CommonForm(value, op, terms[i]));
            steps.Add(step);
            value = step.Result;
        }
        // The solution works left to right, so the prompt brackets a sum before a product to mean the same.
        var expression = MathText.Format(terms[0]);
        var topLevelSum = false;
        for (var i = 0; i < ops.Count; i++)
        {
            if (ops[i] == '*' && topLevelSum)
            {
                expression = $"({expression})";
            }
            expression += $" {ops[i]} {MathText.Format(terms[i + 1])}";
            topLevelSum = ops[i] != '*';
        }
        var prompt = $"Compute {expression}. Give the answer as a whole number or a fraction in lowest terms.";
        return new MathDraft("fractions", prompt, "I will work from left to right, using a common denominator for each sum or difference.",
            steps, value, terms, ops.Contains('*') ? null : Alternative(terms, ops, value));
    }

    /// <summary>"3/6 + 4/6" for sums and differences of unlike fractions; null when there is nothing to show.</summary>
    private static string? CommonForm(Rational left, char op, Rational right)
    {
        if (op == '*' || left.Denominator == right.Denominator)
        {
            return null;
        }
        var common = Lcm(left.Denominator, right.Denominator);
        return $"{MathText.Int(left.Numerator * (common / left.Denominator))}/{MathText.Int(common)} {op} {MathText.Int(right.Numerator * (common / right.Denominator))}/{MathText.Int(common)}";
    }

    private static string Alternative(List<Rational> terms, List<char> ops, Rational value)
    {
        var common = terms.Aggregate(1L, (acc, t) => Lcm(acc, t.Denominator));
        var scaled = terms.Select(t => t.Numerator * (common / t.Denominator)).ToList();
        var forms = string.Join(", ", terms.Select((t, i) => $"{MathText.Format(t)} = {MathText.Int(scaled[i])}/{MathText.Int(common)}"));
        var numerators = MathText.Int(scaled[0]) + string.Concat(ops.Select((op, i) => $" {op} {MathText.Int(scaled[i + 1])}"));
        var total = scaled[0] + ops.Select((op, i) => op == '+' ? scaled[i + 1] : -scaled[i + 1]).Sum();
        var unreduced = $"{MathText.Int(total)}/{MathText.Int(common)}";
        var reduced = unreduced == MathText.Format(value) ? "" : $", which reduces to {MathText.Format(value)}";
        return $"Alternatively, put every fraction over the common denominator {MathText.Int(common)}: {forms}. The numerators give {numerators} = {MathText.Int(total)}, so the result is {unreduced}{reduced}.";
    }

    private static long Lcm(long a, long b)
    {
        var x = a;
        var y = b;
        while (y != 0)
        {
            (x, y) = (y, x % y);
        }
        return a / x * b;
    }
}
