using Infra.Torch.Training;

namespace Infra.Torch.Tests.Training;

public sealed class LearningRateScheduleTests
{
    [Theory]
    [InlineData(0, 0.25e-3)]      // warm-up: (s + 1) / 4 of the peak
    [InlineData(1, 0.5e-3)]
    [InlineData(3, 1e-3)]         // last warm-up step reaches the peak
    [InlineData(4, 1e-3)]         // decay starts at progress 0: cos(0) = 1
    [InlineData(6, 0.55e-3)]      // progress 0.5: 0.1 + 0.9 * 0.5
    [InlineData(8, 0.1e-3)]       // progress 1: the floor, 10% of the peak
    [InlineData(20, 0.1e-3)]      // beyond the end it stays at the floor
    public void Warm_up_then_cosine_decay_to_ten_percent(int step, double expected)
    {
        var schedule = new LearningRateSchedule(1e-3, WarmupSteps: 4, TotalSteps: 8, FinalRatio: 0.1);
        Assert.Equal(expected, schedule.At(step), 15);
    }

    [Fact]
    public void Without_warm_up_the_first_step_uses_the_peak()
    {
        var schedule = new LearningRateSchedule(2e-3, WarmupSteps: 0, TotalSteps: 10, FinalRatio: 0.1);
        Assert.Equal(2e-3, schedule.At(0), 15);
        Assert.Equal(2e-3 * (0.1 + 0.9 * 0.5 * (1 + Math.Cos(Math.PI * 0.3))), schedule.At(3), 15);
    }
}
