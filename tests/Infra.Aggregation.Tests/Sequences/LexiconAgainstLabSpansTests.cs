using Infra.Aggregation.Sequences;
using Infra.Corpus;
using Infra.Lab.Corpus;
using Infra.Lab.Schema;
using Xunit.Abstractions;

namespace Infra.Aggregation.Tests.Sequences;

/// <summary>
/// Measures the default lexicon's tags against the model lab's ground truth: the generator records
/// where it wrote exploration, verification and backtracking, as whole-line spans. A step (line)
/// or sentence is truly of a kind when it overlaps a span of that kind, and predicted so when the
/// tagger gives it the tag of the same name.
/// </summary>
public sealed class LexiconAgainstLabSpansTests(ITestOutputHelper output)
{
    private const double Floor = 0.95;

    [Fact]
    public void Default_lexicon_finds_the_generated_corpus_behaviours()
    {
        var examples = TestData.Corpus.Select(e => (e.Response, e.Spans, CorpusFields.DomainName(e.Domain))).ToList();
        Assert.Contains(examples, e => e.Spans.Count > 0);
        Measure("generated corpus (seed 7, 300 examples, exploration share 0.5)", examples);
    }

    [Fact]
    public void Default_lexicon_finds_the_default_models_held_out_behaviours()
    {
        var read = CorpusReader.ReadFile(Path.Combine(TestData.DefaultModelFolder, "corpus", "heldout.jsonl"));
        Assert.True(read.IsValid);
        Measure("models/default/corpus/heldout.jsonl", read.Records.Select(r => (r.Response, LabRecords.Spans(r), r.Domain)).ToList());
    }

    private void Measure(string name, List<(string Response, IReadOnlyList<TaggedSpan> Spans, string Domain)> examples)
    {
        var segmenter = new SequenceSegmenter();
        var tagger = new SequenceTagger();
        var kinds = Enum.GetValues<SpanKind>();
        var steps = kinds.ToDictionary(k => k, _ => new Counts());
        var sentences = kinds.ToDictionary(k => k, _ => new Counts());
        foreach (var (response, spans, domain) in examples)
        {
            var segmentation = segmenter.Segment(response, SegmentationModes.For(domain));
            var blockTags = tagger.TagBlocks(response, segmentation);
            var sequenceTags = tagger.Tag(response, segmentation.Sequences);
            foreach (var kind in kinds)
            {
                var tag = kind.ToString().ToLowerInvariant();
                var truth = spans.Where(s => s.Kind == kind).ToList();
                foreach (var block in segmentation.Blocks.Where(b => b.Kind == SequenceBlockKind.Step))
                    steps[kind].Add(truth.Any(s => s.Start < block.End && block.Start < s.Start + s.Length), blockTags[block.Index].Contains(tag));
                foreach (var sequence in segmentation.Sequences.Where(s => s.Kind == SequenceKind.Sentence))
                    sentences[kind].Add(truth.Any(s => s.Start < sequence.End && sequence.Start < s.Start + s.Length), sequenceTags[sequence.Index].Contains(tag));
            }
        }
        output.WriteLine($"{name}: {examples.Count} responses");
        foreach (var kind in kinds)
        {
            output.WriteLine($"  {kind,-13} steps: {steps[kind]}");
            output.WriteLine($"  {kind,-13} sentences: {sentences[kind]}");
        }
        foreach (var kind in kinds.Where(k => steps[k].Positives > 0))
        {
            Assert.True(steps[kind].Precision >= Floor, $"{kind} step precision {steps[kind]}");
            Assert.True(steps[kind].Recall >= Floor, $"{kind} step recall {steps[kind]}");
        }
    }

    private sealed class Counts
    {
        private int _truePositives;
        private int _falsePositives;
        private int _falseNegatives;

        public int Positives => _truePositives + _falseNegatives;

        public double Precision => _truePositives + _falsePositives == 0 ? 1 : (double)_truePositives / (_truePositives + _falsePositives);

        public double Recall => Positives == 0 ? 1 : (double)_truePositives / Positives;

        public void Add(bool truth, bool predicted)
        {
            if (truth && predicted) _truePositives++;
            else if (predicted) _falsePositives++;
            else if (truth) _falseNegatives++;
        }

        public override string ToString() =>
            $"precision {Precision:F3} recall {Recall:F3} (TP {_truePositives}, FP {_falsePositives}, FN {_falseNegatives})";
    }
}
