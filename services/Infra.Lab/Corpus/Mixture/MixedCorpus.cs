using System.Globalization;
using Infra.Core.Metadata;
using Infra.Corpus;

namespace Infra.Lab.Corpus.Mixture;

/// <summary>
/// A corpus shaped like a real SFT mixture rather than the lab's own schema: four domains (math, code,
/// science, chat), difficulty as the public datasets write it — MATH's "Level 1".."Level 5" for math,
/// APPS's introductory/interview/competition for code, a numeric rating for science, no label for chat
/// and for a share of math — and metadata columns to slice by (source, explores). Written in the
/// problem/solution layout with the labels in a "level" column, so reading it needs the column and
/// mapping options a user's data needs.
/// </summary>
public static class MixedCorpus
{
    /// <summary>The column the level labels are in: "level".</summary>
    public const string LevelColumn = "level";

    /// <summary>The science rating column: "rating".</summary>
    public const string RatingColumn = "rating";

    /// <summary>The generator column: "source".</summary>
    public const string SourceColumn = "source";

    /// <summary>Whether the response has an exploratory stretch: "explores".</summary>
    public const string ExploresColumn = "explores";

    /// <summary>The four domains, in the order they are generated.</summary>
    public static IReadOnlyList<string> Domains { get; } = ["math", "code", "science", "chat"];

    /// <summary>One mapping covering both label sets: MATH's levels to 1-5, APPS's to 1, 3 and 5.</summary>
    public static IReadOnlyDictionary<string, int> LevelMapping { get; } = new Dictionary<string, int>(StringComparer.Ordinal)
    {
        ["Level 1"] = 1, ["Level 2"] = 2, ["Level 3"] = 3, ["Level 4"] = 4, ["Level 5"] = 5,
        ["introductory"] = 1, ["interview"] = 3, ["competition"] = 5,
    };

    /// <summary>
    /// <paramref name="perDomain"/> examples of each domain (4 x perDomain records, domains interleaved),
    /// seeded. Every 7th math example has no level (unlabelled). Records carry difficulty 0: the level is
    /// in the metadata, as a user's corpus has it, until a mapping reads it.
    /// </summary>
    /// <param name="perDomain">Examples per domain; at least 1.</param>
    /// <param name="seed">The generators' seed. Defaults to 18.</param>
    public static IReadOnlyList<CorpusRecord> Build(int perDomain, int seed = 18)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(perDomain, 1);
        var lab = CorpusBuilder.Build(new CorpusBuildOptions
        {
            Seed = seed, TrainCount = 2 * Math.Max(perDomain, 5), HeldOutCount = 0, QueriesPerDomain = 0,
        });
        var math = RoundRobin(lab.Train.Where(e => e.Domain == ReasoningDomain.Math), perDomain);
        var code = RoundRobin(lab.Train.Where(e => e.Domain == ReasoningDomain.Code), perDomain);
        var science = new Random(seed + 1);
        var chat = new Random(seed + 2);
        var records = new List<CorpusRecord>(4 * perDomain);
        for (var i = 0; i < perDomain; i++)
        {
            records.Add(FromLab(math[i], i % 7 == 6 ? null : $"Level {math[i].Difficulty.ToString(CultureInfo.InvariantCulture)}"));
            records.Add(FromLab(code[i], AppsLabel(code[i].Difficulty)));
            var (sciencePrompt, scienceResponse, rating) = ScienceProblems.Generate(science);
            records.Add(Record($"science-{I(i)}", "science", sciencePrompt, scienceResponse, "lab-science", explores: false,
                (RatingColumn, MetadataValue.Of((long)rating))));
            var (chatPrompt, chatResponse) = ChatRequests.Generate(chat);
            records.Add(Record($"chat-{I(i)}", "chat", chatPrompt, chatResponse, "lab-chat", explores: false));
        }
        return records;
    }

    /// <summary>APPS's label for a lab code level: 1-2 introductory, 3 interview, 4-5 competition.</summary>
    public static string AppsLabel(int difficulty) => difficulty switch { <= 2 => "introductory", 3 => "interview", _ => "competition" };

    private static CorpusRecord FromLab(LabExample example, string? level)
    {
        var domain = CorpusFields.DomainName(example.Domain);
        var extra = level is null ? [] : new[] { (LevelColumn, MetadataValue.Of(level)) };
        return Record(example.Id, domain, example.Prompt, example.Response, $"lab-{domain}", example.Spans.Count > 0, extra) with { Answer = example.Answer };
    }

    private static CorpusRecord Record(string id, string domain, string prompt, string response, string source, bool explores,
        params (string Name, MetadataValue Value)[] extra)
    {
        var metadata = new Dictionary<string, MetadataValue>(StringComparer.Ordinal)
        {
            [SourceColumn] = MetadataValue.Of(source),
            [ExploresColumn] = MetadataValue.Of(explores),
        };
        foreach (var (name, value) in extra)
        {
            metadata[name] = value;
        }
        return new CorpusRecord(id, domain, DifficultyScheme.Unlabelled, prompt, response) { Metadata = metadata };
    }

    // Cycles through the difficulty levels so every level (and label) appears even in a small mixture.
    private static List<LabExample> RoundRobin(IEnumerable<LabExample> examples, int count)
    {
        var byLevel = examples.GroupBy(e => e.Difficulty).OrderBy(g => g.Key).Select(g => new Queue<LabExample>(g)).ToList();
        var picked = new List<LabExample>(count);
        while (picked.Count < count && byLevel.Any(q => q.Count > 0))
        {
            foreach (var level in byLevel.Where(q => q.Count > 0))
            {
                if (picked.Count == count) break;
                picked.Add(level.Dequeue());
            }
        }
        return picked.Count == count ? picked : throw new InvalidOperationException($"the lab generated only {picked.Count} examples of a domain; {count} were asked for");
    }

    private static string I(int value) => value.ToString(CultureInfo.InvariantCulture);
}
