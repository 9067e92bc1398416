namespace Infra.Validation.Lds;

/// <summary>Random subsets of the training examples, each a function of (seed, index) alone, so a resumed run draws the same ones.</summary>
public static class SubsetSampler
{
    /// <summary><c>round(count x fraction)</c> distinct indices in <c>[0, count)</c>, ascending.</summary>
    public static int[] Draw(int count, double fraction, int seed, int index)
    {
        var size = (int)Math.Round(count * fraction, MidpointRounding.AwayFromZero);
        // System.Random with an explicit seed is stable across runs and machines; mix seed and index without HashCode (randomised per process).
        var rng = new Random(unchecked((seed * 1_000_003) + index + 1));
        var pool = Enumerable.Range(0, count).ToArray();
        for (var i = 0; i < size; i++)
        {
            var j = rng.Next(i, count);
            (pool[i], pool[j]) = (pool[j], pool[i]);
        }
        var members = pool[..size];
        Array.Sort(members);
        return members;
    }
}
