using Infra.Corpus;

namespace Infra.Lab.Corpus.MathProblems;

/// <summary>
/// Generates math problems (arithmetic chains, fractions, linear equations, shopping, rates and
/// ages word problems) with step-by-step solutions ending "The answer is X.". A share of the
/// solutions carry tagged exploratory behaviour: an alternative method, a real verification, a
/// double-check of a multiplication, or a wrong turn that is backed out of.
/// </summary>
public static class MathProblemGenerator
{
    /// <summary>The share of solutions with exploratory behaviour when none is given: 0.3.</summary>
    public const double DefaultExplorationShare = 0.3;

    private const int MaxAttempts = 2000;

    private static readonly (int Min, int Max, Func<Random, int, long, MathDraft> Draft)[] Kinds =
    [
        (ArithmeticChainProblems.MinSteps, ArithmeticChainProblems.MaxSteps, ArithmeticChainProblems.Draft),
        (FractionProblems.MinSteps, FractionProblems.MaxSteps, FractionProblems.Draft),
        (EquationProblems.MinSteps, EquationProblems.MaxSteps, EquationProblems.Draft),
        (ShoppingProblems.MinSteps, ShoppingProblems.MaxSteps, ShoppingProblems.Draft),
        (RateProblems.MinSteps, RateProblems.MaxSteps, RateProblems.Draft),
        (AgeProblems.MinSteps, AgeProblems.MaxSteps, AgeProblems.Draft),
    ];

    // Upper bounds for numbers at each size level of MathDifficulty (20, 100, 1,000, beyond).
    private static readonly long[] Limits = [20, 100, 1000, 5000];

    /// <summary>
    /// Generates one problem of exactly <paramref name="difficulty"/> (1-5) from <paramref name="rng"/>.
    /// </summary>
    /// <param name="rng">The only source of randomness; the same state gives the same problem.</param>
    /// <param name="difficulty">1 to 5 by <see cref="MathDifficulty"/>.</param>
    /// <param name="id">The example's id.</param>
    /// <param name="explorationShare">Probability (0-1) that the solution carries tagged exploratory spans; defaults to 0.3.</param>
    public static LabExample Generate(Random rng, int difficulty, string id, double explorationShare = DefaultExplorationShare)
    {
        ArgumentNullException.ThrowIfNull(rng);
        ArgumentOutOfRangeException.ThrowIfLessThan(difficulty, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(difficulty, 5);
        for (var attempt = 0; attempt < MaxAttempts; attempt++)
        {
            // Pick a size level, then the step count that the difficulty rule asks for at that size.
            var level = rng.Next(0, System.Math.Min(3, difficulty) + 1);
            var steps = difficulty + 1 - level;
            var kinds = Kinds.Where(k => k.Min <= steps && steps <= k.Max).ToArray();
            if (kinds.Length == 0)
            {
                continue;
            }
            var draft = kinds[rng.Next(kinds.Length)].Draft(rng, steps, Limits[level]);
            if (draft.Difficulty != difficulty || draft.Magnitude > Limits[^1] * 10)
            {
                continue; // numbers drifted into another size level; draw again
            }
            var explore = rng.NextDouble() < explorationShare;
            var (response, spans) = MathResponseWriter.Write(draft, explore ? rng : null);
            return new LabExample(id, ReasoningDomain.Math, difficulty, draft.Kind, draft.Prompt, response, draft.Answer.ToString(), spans, []);
        }
        throw new InvalidOperationException($"could not generate a math problem of difficulty {difficulty} in {MaxAttempts} attempts");
    }
}
