namespace Infra.Lab.Corpus.MathProblems;

/// <summary>
/// One operation of a reference solution, rendered "Lead Left op Right [= Middle] = Result[Tail]."
/// Keeping the operands structured lets the generator verify, double-check and backtrack on it.
/// </summary>
internal sealed record MathStep(string Lead, Rational Left, char Op, Rational Right, Rational Result, string? Middle = null, string? Tail = null)
{
    public static MathStep Of(string lead, Rational left, char op, Rational right, string? middle = null, string? tail = null) =>
        new(lead, left, op, right, MathText.Apply(left, op, right), middle, tail);

    public string Text => $"{Lead} {MathText.Expression(Left, Op, Right)}{(Middle is null ? "" : " = " + Middle)} = {MathText.Format(Result)}{Tail}.";

    public long Magnitude => System.Math.Max(Left.Magnitude, System.Math.Max(Right.Magnitude, Result.Magnitude));
}
