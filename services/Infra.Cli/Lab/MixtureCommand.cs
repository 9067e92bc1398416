using System.CommandLine;
using System.Globalization;
using Infra.Cli.Terminal;
using Infra.Lab.Corpus.Mixture;

namespace Infra.Cli.Lab;

/// <summary>
/// <c>infra lab mixture</c>: writes the lab's four-domain mixture (math, code, science, chat; level labels, a
/// rating, unlabelled rows) in the problem/solution layout, with a query file of the same shape, and prints the
/// <c>infra index</c> options that read it. For trying the any-corpus options on data that looks like a user's.
/// </summary>
internal static class MixtureCommand
{
    /// <summary>The training file's name: "train.jsonl".</summary>
    public const string TrainFile = "train.jsonl";

    /// <summary>The query file's name: "queries.jsonl".</summary>
    public const string QueriesFile = "queries.jsonl";

    /// <summary>The command.</summary>
    public static Command Create()
    {
        var outOption = new Option<string>("--out") { Description = "Output folder", DefaultValueFactory = _ => "mixture" };
        var perDomainOption = new Option<int>("--per-domain") { Description = "Training examples per domain", DefaultValueFactory = _ => 32 };
        var queriesOption = new Option<int>("--queries-per-domain") { Description = "Queries per domain", DefaultValueFactory = _ => 2 };
        var seedOption = new Option<int>("--seed") { Description = "Seed of the generators (the queries use seed + 1000)", DefaultValueFactory = _ => 18 };
        var command = new Command("mixture", "Write a four-domain corpus shaped like a real SFT mixture (labels, a rating, unlabelled rows) and its queries");
        command.Options.Add(outOption);
        command.Options.Add(perDomainOption);
        command.Options.Add(queriesOption);
        command.Options.Add(seedOption);
        command.SetAction(parse =>
        {
            var perDomain = parse.GetValue(perDomainOption);
            var queries = parse.GetValue(queriesOption);
            if (perDomain < 1 || queries < 1)
            {
                Console.Error.WriteLine("--per-domain and --queries-per-domain must be at least 1");
                return ExitCodes.Usage;
            }
            var folder = Path.GetFullPath(parse.GetValue(outOption)!);
            Write(folder, perDomain, queries, parse.GetValue(seedOption));
            Console.Out.WriteLine(string.Create(CultureInfo.InvariantCulture, $"wrote {4 * perDomain} examples and {4 * queries} queries ({string.Join(", ", MixedCorpus.Domains)}) to {folder}"));
            Console.Out.WriteLine($"index it with: infra index {Path.Combine(folder, TrainFile)} {IndexOptions}");
            return ExitCodes.Ok;
        });
        return command;
    }

    /// <summary>
    /// Writes <see cref="TrainFile"/> (<paramref name="perDomain"/> examples per domain) and <see cref="QueriesFile"/>
    /// (<paramref name="queries"/> per domain, generated with <paramref name="seed"/> + 1000, ids prefixed "q-") into
    /// <paramref name="folder"/>, creating it.
    /// </summary>
    public static void Write(string folder, int perDomain, int queries, int seed)
    {
        Directory.CreateDirectory(folder);
        MixedCorpusFile.Write(Path.Combine(folder, TrainFile), MixedCorpus.Build(perDomain, seed));
        // Query ids get a prefix: the generators restart their numbering per seed.
        MixedCorpusFile.Write(Path.Combine(folder, QueriesFile), MixedCorpus.Build(queries, seed + 1000).Select(r => r with { Id = "q-" + r.Id }));
    }

    /// <summary>The <c>infra index</c> options that read the mixture: its layout, level column and label mapping.</summary>
    public static string IndexOptions =>
        $"--layout problem-solution --difficulty-column {MixedCorpus.LevelColumn} --difficulty-map \""
        + string.Join(",", MixedCorpus.LevelMapping.Select(p => $"{p.Key}={p.Value.ToString(CultureInfo.InvariantCulture)}")) + "\"";
}
