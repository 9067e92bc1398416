using System.Diagnostics;
using Infra.Torch.Gradients;
using Infra.Torch.Model;
using static TorchSharp.torch;

namespace Infra.Torch.Training;

/// <summary>
/// Supervised fine-tuning on the response tokens, with per-example weights.
/// </summary>
/// <remarks>
/// <para>Loss of a step over examples <c>S</c> (all its micro-batches): <c>L = sum_{i in S} w_i sum_t m_it CE_it / D</c>
/// with <c>D = sum_{i in S} w_i n_i</c>, <c>n_i</c> the example's loss tokens: the weighted mean token loss. Because
/// <c>D</c> is taken over the whole step before any micro-batch runs, accumulating k micro-batches of b gives the
/// gradient of one batch of k*b. A step whose examples all weigh 0 uses <c>D = 1</c>: loss and gradient are exactly 0.</para>
/// <para>An example of weight 0 contributes exact zeros to the gradient, so it cannot move the model except through
/// what the optimizer does anyway at that step (weight decay; AdamW's momentum from earlier steps).</para>
/// <para>Resuming restores weights, AdamW's moments and the step, and the data order is a function of (seed, epoch),
/// so a resumed run from an fp32 checkpoint continues exactly as the uninterrupted run.</para>
/// </remarks>
public sealed class SftTrainer
{
    private readonly Qwen2ForCausalLM _model;
    private readonly SftOptions _options;

    /// <summary>A trainer for <paramref name="model"/> (updated in place) under <paramref name="options"/>.</summary>
    /// <exception cref="ArgumentException">An option out of range.</exception>
    public SftTrainer(Qwen2ForCausalLM model, SftOptions options)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _model = model;
        _options = options;
    }

    /// <summary>
    /// Trains on <paramref name="examples"/>, reporting after every step. Examples longer than
    /// <see cref="SftOptions.MaxLength"/> lose their tail; those left with no loss tokens are skipped and counted.
    /// </summary>
    /// <exception cref="InvalidExampleException">An id outside the vocabulary, a mask of the wrong length, or a weight that is negative or not finite.</exception>
    /// <exception cref="ArgumentException">No example has anything to train on.</exception>
    /// <exception cref="InvalidOperationException">Resuming from a checkpoint of a different run.</exception>
    public SftResult Train(IReadOnlyList<SftExample> examples, IProgress<TrainingProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(examples);
        var data = examples.Select(Prepare).Where(e => e.LossTokens > 0).ToList();
        if (data.Count == 0) throw new ArgumentException("no example has a response token to train on", nameof(examples));
        var plan = new SftPlan(data.Count, _options);
        var schedule = LearningRateSchedule.From(_options, plan.TotalSteps);
        var state = new SftTrainerState(0, plan.TotalSteps, data.Count, _options.Seed, _options.BatchSize, _options.GradientAccumulationSteps);
        var parameters = _model.named_parameters().ToList();
        using var optimizer = new AdamW(parameters, _options.Beta1, _options.Beta2, _options.Epsilon, _options.WeightDecay);
        var first = _options.ResumeFrom is { } resume ? Resume(resume, state, optimizer) : 0;

        _model.train();
        var clock = Stopwatch.StartNew();
        long tokens = 0;
        double firstLoss = double.NaN, lastLoss = double.NaN;
        for (var step = first; step < plan.TotalSteps; step++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var stepExamples = plan.ExamplesOf(step).Select(i => data[i]).ToList();
            var (loss, stepTokens) = Accumulate(stepExamples);
            var norm = GradientClipping.ClipGlobalNorm(parameters.Select(p => p.parameter), _options.MaxGradientNorm);
            var learningRate = schedule.At(step);
            optimizer.Step(learningRate);
            tokens += stepTokens;
            if (step == first) firstLoss = loss;
            lastLoss = loss;
            var done = step + 1;
            var perStep = clock.Elapsed / (done - first);
            progress?.Report(new TrainingProgress(done, plan.TotalSteps, plan.EpochOf(step), loss, learningRate, norm,
                tokens / clock.Elapsed.TotalSeconds, clock.Elapsed, perStep * (plan.TotalSteps - done)));
            if (_options is { OutputFolder: { } output, SaveEverySteps: > 0 } && done % _options.SaveEverySteps == 0 && done < plan.TotalSteps)
                SftCheckpoint.Write(Path.Combine(output, $"checkpoint-{done:D6}"), _model, optimizer, state with { Step = done }, _options);
        }
        _model.zero_grad();
        _model.eval();
        if (_options.OutputFolder is { } final)
            SftCheckpoint.Write(final, _model, optimizer, state with { Step = plan.TotalSteps }, _options);
        return new SftResult(first, plan.TotalSteps, firstLoss, lastLoss, tokens / clock.Elapsed.TotalSeconds, examples.Count - data.Count);
    }

    // Forward/backward of every micro-batch of one step, gradients summed in .grad; returns the step's loss.
    private (double Loss, long Tokens) Accumulate(List<SftExample> stepExamples)
    {
        _model.zero_grad();
        var normaliser = stepExamples.Sum(e => (double)e.Weight * e.LossTokens);
        if (normaliser == 0) normaliser = 1;
        double loss = 0;
        long tokens = 0;
        foreach (var micro in stepExamples.Chunk(_options.BatchSize))
        {
            using var scope = NewDisposeScope();
            var (microLoss, microTokens) = SftLoss.Compute(_model, micro, normaliser);
            microLoss.backward();
            loss += microLoss.item<float>();
            tokens += microTokens;
        }
        return (loss, tokens);
    }

    private static int Resume(string folder, SftTrainerState expected, AdamW optimizer)
    {
        var saved = SftTrainerState.Read(folder);
        var differences = saved.Differences(expected);
        if (differences.Count > 0)
            throw new InvalidOperationException($"cannot resume from '{folder}': it belongs to a different run ({string.Join("; ", differences)})");
        SftCheckpoint.LoadOptimizer(folder, optimizer, saved.Step);
        return saved.Step;
    }

    private SftExample Prepare(SftExample example)
    {
        ArgumentNullException.ThrowIfNull(example);
        var id = string.IsNullOrEmpty(example.Id) ? "(no id)" : example.Id;
        if (example.LossMask.Length != example.Ids.Length)
            throw new InvalidExampleException(id, $"loss mask has {example.LossMask.Length} entries for {example.Ids.Length} tokens");
        if (!float.IsFinite(example.Weight) || example.Weight < 0)
            throw new InvalidExampleException(id, $"has weight {example.Weight}; weights must be finite and not negative");
        var vocab = _model.Config.VocabSize;
        if (Array.FindIndex(example.Ids, t => t < 0 || t >= vocab) is var bad and >= 0)
            throw new InvalidExampleException(id, $"token id {example.Ids[bad]} at position {bad} is out of range [0, {vocab})");
        return example.Ids.Length <= _options.MaxLength
            ? example
            : example with { Ids = example.Ids[.._options.MaxLength], LossMask = example.LossMask[.._options.MaxLength] };
    }
}
