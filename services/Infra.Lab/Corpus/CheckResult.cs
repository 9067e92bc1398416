namespace Infra.Lab.Corpus;

/// <summary>The verdict on one response, with the reason when it is wrong.</summary>
public sealed record CheckResult(bool Correct, string Reason)
{
    public static CheckResult Pass { get; } = new(true, "correct");

    public static CheckResult Fail(string reason) => new(false, reason);
}
