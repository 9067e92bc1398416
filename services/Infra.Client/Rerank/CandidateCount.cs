namespace Infra.Client.Rerank;

/// <summary>
/// How many stage 1 candidates per query and direction (top N and bottom N) stage 2 rescored exactly.
/// </summary>
public static class CandidateCount
{
    /// <summary>
    /// The default share of the store's examples: 0.3 (30 %). From the recall curves in docs/validation/fidelity.md: with
    /// EK-FAC fitted on a k = 64 store, the top 30 % holds 0.975 of the exact top-10 and the bottom 30 % 0.967 of the exact
    /// bottom-10 (20 % reaches 0.963 on the top side but only 0.938 on the bottom side).
    /// </summary>
    public const double DefaultFraction = 0.3;

    /// <summary>The default's ceiling: 256 per direction, so a large store's rerank stays a bounded amount of GPU work.</summary>
    public const int DefaultCeiling = 256;

    /// <summary>
    /// The candidates per direction: <paramref name="requested"/> when given (it must be in [<paramref name="k"/>,
    /// <paramref name="storeExamples"/>]), else <c>ceil(0.3 x store)</c>, at least <paramref name="k"/>, at most 256 (or
    /// <paramref name="k"/> when that is larger) and never more than the store holds.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">A requested count of 0, below k, or above the store's examples.</exception>
    public static int Resolve(int? requested, long storeExamples, int k)
    {
        if (storeExamples <= 0) throw new ArgumentOutOfRangeException(nameof(storeExamples), storeExamples, "the store has no examples");
        if (k <= 0) throw new ArgumentOutOfRangeException(nameof(k), k, "k must be positive");
        if (requested is { } n)
        {
            if (n < 1 || n > storeExamples)
                throw new ArgumentOutOfRangeException(nameof(requested), n, $"candidates must be in [1, {storeExamples}] (the store's examples); it is {n}");
            if (n < k && n < storeExamples)
                throw new ArgumentOutOfRangeException(nameof(requested), n, $"candidates ({n}) must be at least the {k} examples asked for");
            return n;
        }
        var fraction = (int)Math.Ceiling(DefaultFraction * storeExamples);
        var count = Math.Max(k, Math.Min(fraction, DefaultCeiling));
        return (int)Math.Min(count, storeExamples);
    }
}
