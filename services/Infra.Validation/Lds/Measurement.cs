using Infra.Torch.Gradients;
using Infra.Torch.Model;
using static TorchSharp.torch;

namespace Infra.Validation.Lds;

/// <summary>
/// The measurement the influence scores predict, without gradients: <c>f = (1/n) sum_t log p(answer token t)</c>
/// over a query's loss-mask tokens from position 1 on, exactly as <see cref="QueryGradientEngine"/> reports it
/// (<see cref="MeasurementReduction.Mean"/>).
/// </summary>
public static class Measurement
{
    /// <summary>f of every query on <paramref name="model"/>, one forward pass per query.</summary>
    public static double[] MeanAnswerLogLikelihood(Qwen2ForCausalLM model, IReadOnlyList<TokenizedExample> queries)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(queries);
        model.eval();
        using var noGrad = no_grad();
        return queries.Select(q =>
        {
            using var scope = NewDisposeScope();
            var t = q.Ids.Length;
            var ids = tensor(q.Ids.Select(i => (long)i).ToArray(), [1, t]).to(model.Device);
            var logits = model.call(ids).to_type(ScalarType.Float32);
            var logProbs = nn.functional.log_softmax(logits[0].narrow(0, 0, t - 1), 1);
            var targets = ids[0].narrow(0, 1, t - 1);
            var picked = HostCopy.ToFloatArray(logProbs.gather(1, targets.unsqueeze(1)).squeeze(1));
            double sum = 0;
            var n = 0;
            for (var j = 1; j < t; j++)
            {
                if (q.LossMask[j] == 0) continue;
                sum += picked[j - 1];
                n++;
            }
            return n == 0 ? throw new ArgumentException($"query '{q.Id}' has no answer tokens") : sum / n;
        }).ToArray();
    }
}
