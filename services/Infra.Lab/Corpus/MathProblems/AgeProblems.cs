namespace Infra.Lab.Corpus.MathProblems;

/// <summary>"Ali is 3 times as old as Bo. In 4 years the sum of their ages will be 40. How old is Bo now?"</summary>
internal static class AgeProblems
{
    public const int MinSteps = 4;
    public const int MaxSteps = 5;

    public static MathDraft Draft(Random rng, int stepCount, long limit)
    {
        var names = MathText.Names.OrderBy(_ => rng.Next()).Take(2).ToArray();
        var (older, younger) = (names[0], names[1]);
        var factor = MathText.Between(rng, 2, 5);
        var young = MathText.Between(rng, 2, System.Math.Clamp(limit / 4, 3, 60));
        var years = MathText.Between(rng, 1, System.Math.Clamp(limit / 4, 2, 30));
        var sum = (factor * young) + young + (2 * years);
        var askOlder = stepCount >= 5;
        var steps = new List<MathStep>
        {
            MathStep.Of($"In {MathText.Int(years)} years each of them is {MathText.Int(years)} years older, which adds", 2, '*', years, tail: " to the sum"),
            MathStep.Of("So the sum of their ages now is", sum, '-', 2 * years),
            MathStep.Of($"{older}'s age is {MathText.Int(factor)} times {younger}'s, so the sum is this many times {younger}'s age:", factor, '+', 1),
            MathStep.Of($"{younger} is", sum - (2 * years), '/', factor + 1, tail: " years old"),
        };
        if (askOlder)
        {
            steps.Add(MathStep.Of($"{older} is", factor, '*', young, tail: " years old"));
        }
        var answer = askOlder ? factor * young : young;
        var question = askOlder ? $"How old is {older} now?" : $"How old is {younger} now?";
        var prompt = $"{older} is {MathText.Int(factor)} times as old as {younger}. In {MathText.Int(years)} years, the sum of their ages will be {MathText.Int(sum)}. {question}";
        var verification = $"Wait, let me verify: {older} is {MathText.Int(factor * young)} and {younger} is {MathText.Int(young)} now; in {MathText.Int(years)} years they will be {MathText.Int((factor * young) + years)} and {MathText.Int(young + years)}, and {MathText.Int((factor * young) + years)} + {MathText.Int(young + years)} = {MathText.Int(sum)}, as stated.";
        return new MathDraft("ages", prompt, "Let me call the younger person's age one part.", steps, answer, [sum], null, verification);
    }
}
