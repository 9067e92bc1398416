using Infra.Aggregation.Reports;
using Infra.Core.Text;
using Infra.Corpus;
using Infra.Lab.Schema;

namespace Infra.Aggregation.Tests.Reports;

/// <summary>
/// A realistic report model: the real tokens of models/default's training sample (its own tokenizer
/// and the Qwen2.5 chat template), with seeded synthetic token scores; every statistic is then computed
/// from those scores the way the roll-ups define it (example = sum of tokens, sequence = sum of its
/// tokens, 95% CI = mean ± 1.96 standard errors).
/// </summary>
internal static class SampleReport
{
    private static readonly Lazy<IReadOnlyList<ScoredExample>> Scored = new(ScoreSample);

    public sealed record ScoredExample(CorpusRecord Record, ReportExample View);

    public static IReadOnlyList<ScoredExample> Examples => Scored.Value;

    public static ReportModel Build()
    {
        var examples = Examples;
        var byScore = examples.OrderByDescending(e => e.View.Score).ToList();
        var domainDifficulty = new List<DomainDifficultyStat>();
        var cross = new List<CrossDomainCell>();
        foreach (var queryDomain in new[] { "math", "code" })
        {
            foreach (var cell in examples.GroupBy(e => (Domain: e.Record.Domain, e.Record.Difficulty)).OrderBy(g => g.Key.Domain, StringComparer.Ordinal).ThenBy(g => g.Key.Difficulty))
            {
                // The same tokens attributed to a query domain: same-domain examples keep their scores, the other domain's are damped.
                var factor = cell.Key.Domain == queryDomain ? 1.0 : 0.35;
                var scores = cell.Select(e => e.View.Score * factor).Order().ToArray();
                var mean = scores.Average();
                var sd = Math.Sqrt(scores.Sum(s => (s - mean) * (s - mean)) / Math.Max(1, scores.Length - 1));
                var half = 1.96 * sd / Math.Sqrt(scores.Length);
                var median = scores.Length % 2 == 1 ? scores[scores.Length / 2] : (scores[(scores.Length / 2) - 1] + scores[scores.Length / 2]) / 2;
                domainDifficulty.Add(new DomainDifficultyStat(queryDomain, cell.Key.Domain, cell.Key.Difficulty, scores.Length, mean, median, scores.Sum(),
                    scores.Count(s => s > 0) / (double)scores.Length, mean - half, mean + half));
                cross.Add(new CrossDomainCell(queryDomain, cell.Key.Domain, cell.Key.Difficulty, mean));
            }
        }
        var sequences = examples
            .SelectMany(e => e.View.Sequences.Select(s => new ReportSequence(Text(e.View).Substring(s.Start, s.Length), s.Score, s.Kind == "step" ? [] : [s.Kind])
            { ExampleId = e.View.Id, Domain = e.View.Domain }))
            .OrderByDescending(s => s.Score).Take(10).ToList();
        return new ReportModel
        {
            Run = new ReportRunInfo
            {
                Title = "Influence report: models/default on its training sample",
                Model = "models/default (Qwen2, 1.18M parameters)",
                Corpus = "models/default/corpus/train-sample.jsonl",
                QuerySets = ["queries-math.jsonl", "queries-code.jsonl"],
                Preconditioner = "EK-FAC, damping 0.1 x mean eigenvalue",
                TrainingExamples = examples.Count,
                TrainingTokens = examples.Sum(e => e.View.Tokens.Count),
                Queries = 40,
                Created = new DateTimeOffset(2026, 11, 28, 21, 0, 0, TimeSpan.Zero),
            },
            DomainDifficulty = domainDifficulty,
            CrossDomain = cross,
            Behaviours = Behaviours(examples),
            TokenRankings = [Ranking("math", examples, e => e.Record.Domain == "math" ? 1 : 0.35), Ranking("code", examples, e => e.Record.Domain == "code" ? 1 : 0.35)],
            TopExamples = byScore.Take(4).Select(e => e.View).ToList(),
            BottomExamples = byScore.AsEnumerable().Reverse().Take(2).Select(e => e.View).ToList(),
            TopSequences = sequences,
            Reweighting = Reweighting(examples),
        };
    }

    /// <summary>The example's text: its tokens' texts concatenated (what sequence spans index into).</summary>
    public static string Text(ReportExample example) => string.Concat(example.Tokens.Select(t => t.Text));


    private static List<ScoredExample> ScoreSample()
    {
        var tokenizer = HfTokenizer.LoadFolder(RepositoryPaths.DefaultModel);
        var records = CorpusReader.ReadFile(RepositoryPaths.DefaultTrainSample).Records;
        var result = new List<ScoredExample>();
        for (var n = 0; n < records.Count; n++)
        {
            var record = records[n];
            var encoded = ChatTemplate.Build(tokenizer, null, record.Prompt, record.Response, ChatFormat.Qwen25);
            var random = new Random(1000 + n);
            // Harder examples lean helpful; a few are harmful; spread varies per example.
            var bias = (0.0004 * record.Difficulty) - 0.0011 + ((random.NextDouble() - 0.5) * 0.002);
            var spread = 0.002 + (random.NextDouble() * 0.004);
            var tokens = new List<ReportToken>(encoded.Ids.Length);
            for (var i = 0; i < encoded.Ids.Length; i++)
            {
                var text = encoded.RenderedText.Substring(encoded.CharStarts[i], encoded.CharLengths[i]);
                var trained = encoded.LossMask[i] == 1;
                var score = trained ? bias + (Gaussian(random) * spread) : 0;
                tokens.Add(new ReportToken(text, score, trained));
            }
            var starts = new int[tokens.Count];
            for (int i = 0, c = 0; i < tokens.Count; c += tokens[i].Text.Length, i++)
            {
                starts[i] = c;
            }
            var spans = LabRecords.Spans(record);
            var sequences = new List<SequenceBoundary>();
            var offset = 0;
            foreach (var line in record.Response.Split('\n'))
            {
                var length = Math.Min(line.Length + 1, record.Response.Length - offset);
                if (line.Length > 0)
                {
                    var tag = spans.FirstOrDefault(s => offset >= s.Start && offset < s.Start + s.Length);
                    var start = encoded.ResponseCharStart + offset;
                    var score = Enumerable.Range(0, tokens.Count).Where(i => starts[i] >= start && starts[i] < start + length).Sum(i => tokens[i].Score);
                    sequences.Add(new SequenceBoundary(start, length, tag is null ? "step" : tag.Kind.ToString().ToLowerInvariant(), score));
                }
                offset += line.Length + 1;
            }
            var view = new ReportExample(record.Id, record.Domain, record.Difficulty, tokens.Sum(t => t.Score), tokens) { Sequences = sequences };
            result.Add(new ScoredExample(record, view));
        }
        return result;
    }

    private static List<BehaviourComparison> Behaviours(IReadOnlyList<ScoredExample> examples)
    {
        var rows = new List<BehaviourComparison>();
        foreach (var queryDomain in new[] { "math", "code" })
        {
            // Sequences attributed to a query domain: same-domain examples keep their scores, the other domain's are damped.
            var all = examples.SelectMany(e => e.View.Sequences.Select(s => (
                Seq: s with { Score = s.Score * (e.View.Domain == queryDomain ? 1 : 0.35) },
                Tokens: Math.Max(1, e.View.Tokens.Count * s.Length / Math.Max(1, Text(e.View).Length))))).ToList();
            var untagged = all.Where(s => s.Seq.Kind == "step").ToList();
            foreach (var behaviour in new[] { "exploration", "verification", "backtracking" })
            {
                var tagged = all.Where(s => s.Seq.Kind == behaviour).ToList();
                if (tagged.Count == 0 || untagged.Count == 0)
                    continue;
                var perTokenTagged = tagged.Select(s => s.Seq.Score / s.Tokens).ToArray();
                var perTokenUntagged = untagged.Select(s => s.Seq.Score / s.Tokens).ToArray();
                var diff = perTokenTagged.Average() - perTokenUntagged.Average();
                var se = Math.Sqrt((Variance(perTokenTagged) / perTokenTagged.Length) + (Variance(perTokenUntagged) / perTokenUntagged.Length));
                rows.Add(new BehaviourComparison(queryDomain, behaviour, tagged.Count, tagged.Average(s => s.Seq.Score), perTokenTagged.Average(),
                    untagged.Count, untagged.Average(s => s.Seq.Score), perTokenUntagged.Average(), diff, diff - (1.96 * se), diff + (1.96 * se)));
            }
        }
        return rows;
    }

    private static TokenRankingSection Ranking(string queryDomain, IReadOnlyList<ScoredExample> examples, Func<ScoredExample, double> factor)
    {
        var occurrences = examples
            .SelectMany(e => e.View.Tokens.Where(t => t.InResponse).Select(t => (t.Text, Score: t.Score * factor(e))))
            .GroupBy(t => t.Text, StringComparer.Ordinal)
            .Select(g => new TokenRankingRow(g.Key, TokenCategorizer.Categorize(g.Key), g.Count(), g.Average(t => t.Score), g.Sum(t => t.Score)))
            .ToList();
        var categories = occurrences.GroupBy(t => t.Category, StringComparer.Ordinal)
            .Select(g => new TokenCategoryTotal(g.Key, g.Sum(t => t.Count), g.Sum(t => t.Sum) / g.Sum(t => t.Count), g.Sum(t => t.Sum)))
            .OrderByDescending(c => c.Sum).ToList();
        var ranked = occurrences.OrderByDescending(t => t.Sum).ThenBy(t => t.Token, StringComparer.Ordinal).Take(20).ToList();
        return new TokenRankingSection(queryDomain, ranked, categories);
    }

    private static ReweightingSection Reweighting(IReadOnlyList<ScoredExample> examples)
    {
        var cells = examples.GroupBy(e => (Domain: e.Record.Domain, e.Record.Difficulty)).OrderBy(g => g.Key.Domain, StringComparer.Ordinal).ThenBy(g => g.Key.Difficulty).ToList();
        var total = (double)examples.Count;
        var weights = cells.Select(c => 0.5 + (0.25 * c.Key.Difficulty)).ToList();
        var newTotal = cells.Select((c, i) => c.Count() * weights[i]).Sum();
        return new ReweightingSection("Difficulty flip: up-weight hard examples (weight 0.5 + 0.25 x difficulty), normalised to the same total.",
            cells.Select((c, i) => new ReweightingCell(c.Key.Domain, c.Key.Difficulty, c.Count() / total, c.Count() * weights[i] / newTotal, weights[i] * total / newTotal)).ToList());
    }

    private static double Variance(double[] values)
    {
        var mean = values.Average();
        return values.Length < 2 ? 0 : values.Sum(v => (v - mean) * (v - mean)) / (values.Length - 1);
    }

    private static double Gaussian(Random random) =>
        Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
}
