namespace Infra.Torch.Training;

/// <summary>
/// Which examples each optimizer step trains on. Each epoch is a permutation drawn from the seed and the
/// epoch number alone, cut into steps of <c>BatchSize * GradientAccumulationSteps</c> examples (the last step of
/// an epoch may be smaller; steps never straddle epochs), so any step's examples can be found without replaying
/// the run: that is what makes resuming exact.
/// </summary>
public sealed class SftPlan
{
    private readonly int _count, _seed, _perStep;

    /// <summary>The plan for <paramref name="exampleCount"/> examples under <paramref name="options"/>.</summary>
    public SftPlan(int exampleCount, SftOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(exampleCount);
        _count = exampleCount;
        _seed = options.Seed;
        _perStep = options.BatchSize * options.GradientAccumulationSteps;
        StepsPerEpoch = (exampleCount + _perStep - 1) / _perStep;
        TotalSteps = options.MaxSteps ?? StepsPerEpoch * options.Epochs;
    }

    /// <summary>Optimizer steps in one pass over the data.</summary>
    public int StepsPerEpoch { get; }

    /// <summary>Optimizer steps in the run.</summary>
    public int TotalSteps { get; }

    /// <summary>The 0-based epoch of step <paramref name="step"/>.</summary>
    public int EpochOf(int step) => step / StepsPerEpoch;

    /// <summary>Indices of the examples of 0-based step <paramref name="step"/>.</summary>
    public int[] ExamplesOf(int step)
    {
        var order = Order(EpochOf(step));
        var start = step % StepsPerEpoch * _perStep;
        return order[start..Math.Min(_count, start + _perStep)];
    }

    private int[] Order(int epoch)
    {
        var order = Enumerable.Range(0, _count).ToArray();
        // System.Random with a seed is a fixed algorithm across .NET versions and platforms.
#pragma warning disable CA5394 // Not security: a reproducible shuffle is the point.
        new Random(unchecked(_seed * 1_000_003 + epoch)).Shuffle(order);
#pragma warning restore CA5394
        return order;
    }
}
