namespace Infra.Lab.Corpus;

/// <summary>
/// The difficulty rule for math problems: difficulty = clamp(steps - 1 + sizeLevel, 1, 5), where
/// steps counts the arithmetic operations in the reference solution and sizeLevel is 0 when every
/// number in the problem and solution is at most 20 in size (numerator or denominator for
/// fractions), 1 up to 100, 2 up to 1,000 and 3 beyond.
/// </summary>
public static class MathDifficulty
{
    /// <summary>Rates a solution with <paramref name="steps"/> operations whose largest number is <paramref name="maxMagnitude"/>.</summary>
    public static int Rate(int steps, long maxMagnitude) =>
        Math.Clamp(steps - 1 + SizeLevel(maxMagnitude), 1, 5);

    /// <summary>0 up to 20, 1 up to 100, 2 up to 1,000, 3 beyond.</summary>
    public static int SizeLevel(long maxMagnitude) => maxMagnitude switch
    {
        <= 20 => 0,
        <= 100 => 1,
        <= 1000 => 2,
        _ => 3,
    };
}
