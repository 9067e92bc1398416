using Infra.Lab.Corpus.CodeProblems;
using Infra.Lab.Corpus.MathProblems;

using Infra.Corpus;

namespace Infra.Lab.Corpus;

/// <summary>
/// Builds the lab corpus: a train and a held-out split, each balanced over domain x difficulty,
/// with no prompt (and no id) in both; and per-domain query sets drawn from held-out. Each
/// domain x difficulty cell has its own seeded generator, derived from the seed with SplitMix64,
/// so no state is shared and the output is the same on every machine.
/// </summary>
public static class CorpusBuilder
{
    // Distinct prompts per cell are plentiful, but a cell that keeps repeating means the templates are exhausted.
    private const int MaxDuplicatesPerExample = 50;

    /// <summary>Generates the corpus described by <paramref name="options"/> (defaults when null).</summary>
    public static BuiltCorpus Build(CorpusBuildOptions? options = null)
    {
        options ??= new CorpusBuildOptions();
        options.Validate();
        var seenPrompts = new HashSet<string>(StringComparer.Ordinal);
        var train = new List<LabExample>();
        var heldOut = new List<LabExample>();
        foreach (var domain in new[] { ReasoningDomain.Math, ReasoningDomain.Code })
        {
            var trainCells = CellCounts(options.TrainCount, options.MathShare, domain);
            var heldCells = CellCounts(options.HeldOutCount, options.MathShare, domain);
            for (var difficulty = 1; difficulty <= 5; difficulty++)
            {
                var rng = new Random(DeriveSeed(options.Seed, (int)domain, difficulty));
                var needed = heldCells[difficulty - 1] + trainCells[difficulty - 1];
                var cell = GenerateCell(rng, domain, difficulty, needed, options.ExplorationShare, seenPrompts);
                // Held-out first so that growing the train split never changes the held-out problems.
                heldOut.AddRange(cell.Take(heldCells[difficulty - 1]));
                train.AddRange(cell.Skip(heldCells[difficulty - 1]));
            }
        }
        return new BuiltCorpus(options, train, heldOut,
            Queries(heldOut, ReasoningDomain.Math, options.QueriesPerDomain),
            Queries(heldOut, ReasoningDomain.Code, options.QueriesPerDomain));
    }

    /// <summary>Examples per difficulty 1-5 for one domain: the domain's share, split evenly, remainders to the easier levels.</summary>
    public static int[] CellCounts(int total, double mathShare, ReasoningDomain domain)
    {
        var math = (int)Math.Round(total * mathShare, MidpointRounding.AwayFromZero);
        var count = domain == ReasoningDomain.Math ? math : total - math;
        return Enumerable.Range(0, 5).Select(level => (count / 5) + (level < count % 5 ? 1 : 0)).ToArray();
    }

    private static List<LabExample> GenerateCell(Random rng, ReasoningDomain domain, int difficulty, int needed, double explorationShare, HashSet<string> seenPrompts)
    {
        var prefix = domain == ReasoningDomain.Math ? "math" : "code";
        var examples = new List<LabExample>(needed);
        var duplicates = 0;
        while (examples.Count < needed)
        {
            var id = $"{prefix}-{difficulty.ToString(System.Globalization.CultureInfo.InvariantCulture)}-{examples.Count.ToString("D5", System.Globalization.CultureInfo.InvariantCulture)}";
            var example = domain == ReasoningDomain.Math
                ? MathProblemGenerator.Generate(rng, difficulty, id, explorationShare)
                : CodeProblemGenerator.Generate(rng, difficulty, id, explorationShare);
            if (seenPrompts.Add(example.Prompt))
            {
                examples.Add(example);
            }
            else if (++duplicates > MaxDuplicatesPerExample * Math.Max(needed, 1))
            {
                throw new InvalidOperationException($"only {examples.Count} distinct {prefix} problems of difficulty {difficulty} could be generated; {needed} were asked for");
            }
        }
        return examples;
    }

    private static List<LabExample> Queries(List<LabExample> heldOut, ReasoningDomain domain, int count)
    {
        var pool = heldOut.Where(e => e.Domain == domain).ToList();
        if (count > pool.Count)
        {
            throw new ArgumentException($"{count} {domain} queries asked for but the held-out split has only {pool.Count} {domain} problems");
        }
        // Round-robin over difficulty levels keeps the query set as balanced as the split.
        var byLevel = pool.GroupBy(e => e.Difficulty).OrderBy(g => g.Key).Select(g => new Queue<LabExample>(g)).ToList();
        var queries = new List<LabExample>(count);
        while (queries.Count < count)
        {
            foreach (var level in byLevel.Where(q => q.Count > 0))
            {
                if (queries.Count == count)
                {
                    break;
                }
                queries.Add(level.Dequeue());
            }
        }
        return queries;
    }

    /// <summary>SplitMix64 of the seed and the cell: independent, platform-stable streams per cell.</summary>
    private static int DeriveSeed(int seed, int domain, int difficulty)
    {
        var z = unchecked((ulong)seed * 0x9E3779B97F4A7C15UL + ((ulong)domain << 8) + (ulong)difficulty);
        z = unchecked((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL);
        z = unchecked((z ^ (z >> 27)) * 0x94D049BB133111EBUL);
        z ^= z >> 31;
        return (int)(z & 0x7FFFFFFF);
    }
}
