using Infra.Torch.Training;
using static TorchSharp.torch;
using TorchAdamW = TorchSharp.Modules.AdamW;

namespace Infra.Torch.Tests.Training;

/// <summary>The written-out AdamW against TorchSharp's own <c>optim.AdamW</c> on the same gradients.</summary>
public sealed class AdamWTests
{
    [Fact]
    public void Five_steps_match_torch_optim_AdamW_with_decay_only_where_it_applies()
    {
        using var ours = TestModels.Create(TestModels.Qwen2Tiny, seed: 8);
        using var theirs = TestModels.Twin(ours);
        var named = ours.named_parameters().ToList();
        var before = TrainingData.Snapshot(ours);
        using var adam = new AdamW(named, 0.9, 0.95, 1e-8, 0.1);
        var decayed = theirs.named_parameters().Where(p => AdamW.Decays(p.name)).Select(p => p.parameter).ToList();
        var plain = theirs.named_parameters().Where(p => !AdamW.Decays(p.name)).Select(p => p.parameter).ToList();
        Assert.NotEmpty(plain);
        var reference = optim.AdamW(
            [new TorchAdamW.ParamGroup(decayed, new TorchAdamW.Options { weight_decay = 0.1 }),
             new TorchAdamW.ParamGroup(plain, new TorchAdamW.Options { weight_decay = 0 })],
            lr: 1e-3, beta1: 0.9, beta2: 0.95, eps: 1e-8);
        var rates = new[] { 1e-3, 2e-3, 3e-3, 1e-3, 5e-4 };
        for (var step = 0; step < rates.Length; step++)
        {
            using var scope = NewDisposeScope();
            var ids = tensor(Enumerable.Range(0, 10).Select(i => (long)((i * 7 + step) % 61)).ToArray(), [1, 10]);
            ours.zero_grad();
            theirs.zero_grad();
            ours.call(ids).pow(2).mean().backward();
            theirs.call(ids).pow(2).mean().backward();
            adam.Step(rates[step]);
            foreach (var group in reference.ParamGroups) group.LearningRate = rates[step];
            reference.step();
        }

        var difference = TrainingData.MaxDifference(TrainingData.Snapshot(theirs), TrainingData.Snapshot(ours));
        Assert.True(difference < 1e-6, $"max |diff| {difference}");
        Assert.True(TrainingData.MaxDifference(TrainingData.Snapshot(ours), before) > 1e-3, "the parameters did not move");
        Assert.Equal(5, adam.StepCount);
    }
}
