using Infra.Core.Statistics;
using Infra.Torch.Gradients;
using Infra.Torch.Model;
using Infra.Validation.Statistics;

namespace Infra.Validation.Lds;

/// <summary>Turns the saved scores and subset measurements into LDS rows, the noise ceiling and the run's summary.</summary>
public static class LdsAnalysis
{
    /// <summary>
    /// Predicted f of subset S for query q: <c>sum_{i in S} I_q(i)</c>; LDS_q = Spearman over subsets of predicted
    /// against actual f_q; each row's mean and 95 % bootstrap interval are over queries.
    /// </summary>
    public static LdsResults Analyse(LdsOptions options, LdsCorpus corpus, Qwen2ForCausalLM full, IReadOnlyList<TrackedLayer> layers,
        IReadOnlyList<ScoredProjection> scores, IReadOnlyList<SubsetResult> subsets, IReadOnlyList<SubsetResult> noise, double computeSeconds)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(corpus);
        ArgumentNullException.ThrowIfNull(full);
        ArgumentNullException.ThrowIfNull(layers);
        ArgumentNullException.ThrowIfNull(scores);
        ArgumentNullException.ThrowIfNull(subsets);
        ArgumentNullException.ThrowIfNull(noise);
        var queries = corpus.Queries.Count;
        var rows = new List<LdsRow>();
        foreach (var projection in scores)
        {
            foreach (var (method, perQuery) in projection.Scores.Scores.OrderBy(kv => kv.Key))
            {
                var lds = Enumerable.Range(0, queries).Select(q =>
                {
                    var predicted = subsets.Select(s => s.Members.Sum(i => perQuery[q][i])).ToList();
                    var actual = subsets.Select(s => s.Measurements[q]).ToList();
                    return Ranking.Spearman(predicted, actual);
                }).ToList();
                rows.Add(new LdsRow { Projection = projection.Projection, Method = method, Lds = Bootstrap.Mean(lds), PerQuery = lds });
            }
        }
        MeanInterval? ceiling = null;
        if (noise.Count >= 3)
        {
            var repeated = noise.Select(n => subsets.Single(s => s.Index == n.Index)).ToList();
            ceiling = Bootstrap.Mean(Enumerable.Range(0, queries).Select(q =>
                Ranking.Spearman(repeated.Select(s => s.Measurements[q]).ToList(), noise.Select(s => s.Measurements[q]).ToList())).ToList());
        }
        var fullF = scores.Count > 0 ? scores[0].Scores.Measurements.Average() : double.NaN;
        var std = Enumerable.Range(0, queries).Select(q =>
        {
            var values = subsets.Select(s => s.Measurements[q]).ToList();
            var mean = values.Average();
            return Math.Sqrt(values.Sum(v => (v - mean) * (v - mean)) / Math.Max(1, values.Count - 1));
        }).Average();
        return new LdsResults
        {
            Options = options,
            TrainingExamples = corpus.Training.Count,
            Queries = queries,
            Subsets = subsets.Count,
            Parameters = full.parameters().Sum(p => p.numel()),
            TrackedParameters = layers.Sum(l => (long)l.DIn * l.DOut),
            FullModelMeanF = fullF,
            SubsetMeanF = subsets.Average(s => s.Measurements.Average()),
            SubsetFStd = std,
            Rows = rows,
            NoiseCeiling = ceiling,
            NoiseSubsets = noise.Count,
            ComputeSeconds = computeSeconds,
        };
    }
}
