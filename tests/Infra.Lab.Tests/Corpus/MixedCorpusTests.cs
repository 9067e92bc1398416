using System.Text.Json;
using Infra.Core.Metadata;
using Infra.Lab.Corpus.Mixture;

namespace Infra.Lab.Tests.Corpus;

/// <summary>
/// The mixture stands in for a user's SFT corpus: four domains, each difficulty convention of the public
/// datasets (labels, a rating, none), metadata columns, and a layout other than the lab's.
/// </summary>
public sealed class MixedCorpusTests
{
    [Fact]
    public void Four_domains_with_every_label_convention_and_unlabelled_rows()
    {
        var records = MixedCorpus.Build(perDomain: 21);

        Assert.Equal(84, records.Count);
        Assert.Equal(MixedCorpus.Domains, records.Select(r => r.Domain).Distinct());
        Assert.All(MixedCorpus.Domains, d => Assert.Equal(21, records.Count(r => r.Domain == d)));
        Assert.Equal(records.Count, records.Select(r => r.Id).Distinct(StringComparer.Ordinal).Count());
        Assert.All(records, r => Assert.Equal(DifficultyScheme.Unlabelled, r.Difficulty));

        string? Level(string domain, int i) => records.Where(r => r.Domain == domain).ElementAt(i).Metadata.GetValueOrDefault(MixedCorpus.LevelColumn)?.StringValue;
        var mathLevels = Enumerable.Range(0, 21).Select(i => Level("math", i)).ToList();
        Assert.Equal(3, mathLevels.Count(l => l is null)); // every 7th: rows 6, 13, 20
        Assert.Equal(["Level 1", "Level 2", "Level 3", "Level 4", "Level 5"], mathLevels.OfType<string>().Distinct().Order(StringComparer.Ordinal));
        Assert.Equal(["competition", "interview", "introductory"], Enumerable.Range(0, 21).Select(i => Level("code", i)!).Distinct().Order(StringComparer.Ordinal));
        Assert.All(records.Where(r => r.Domain is "science" or "chat"), r => Assert.False(r.Metadata.ContainsKey(MixedCorpus.LevelColumn)));
        Assert.All(records.Select(r => r.Metadata.GetValueOrDefault(MixedCorpus.LevelColumn)?.StringValue).OfType<string>(),
            label => Assert.True(MixedCorpus.LevelMapping.ContainsKey(label), label));

        var ratings = records.Where(r => r.Domain == "science").Select(r => r.Metadata[MixedCorpus.RatingColumn]).ToList();
        Assert.All(ratings, v => Assert.Equal(MetadataKind.Int, v.Kind));
        Assert.All(ratings, v => Assert.InRange(v.IntValue, 800, 3500));
        Assert.True(ratings.Select(v => v.IntValue).Distinct().Count() >= 5, "ratings must spread over several bins");
        Assert.Contains(records, r => r.Metadata[MixedCorpus.ExploresColumn].BoolValue);
        Assert.All(records, r => Assert.Equal($"lab-{r.Domain}", r.Metadata[MixedCorpus.SourceColumn].StringValue));
    }

    [Fact]
    public void The_same_seed_gives_the_same_corpus_and_another_seed_another()
    {
        var lines = MixedCorpus.Build(8).Select(MixedCorpusFile.Line).ToList();
        Assert.Equal(lines, MixedCorpus.Build(8).Select(MixedCorpusFile.Line));
        Assert.NotEqual(lines, MixedCorpus.Build(8, seed: 19).Select(MixedCorpusFile.Line));
    }

    [Fact]
    public void A_whole_double_keeps_its_decimal_point_and_a_non_finite_one_is_refused()
    {
        var record = MixedCorpus.Build(1)[0];
        var whole = record with { Metadata = new Dictionary<string, MetadataValue> { ["score"] = MetadataValue.Of(2.0), ["count"] = MetadataValue.Of(2L) } };
        Assert.Contains("\"count\":2,", MixedCorpusFile.Line(whole), StringComparison.Ordinal);
        Assert.Contains("\"score\":2.0}", MixedCorpusFile.Line(whole), StringComparison.Ordinal);
        var nan = record with { Metadata = new Dictionary<string, MetadataValue> { ["score"] = MetadataValue.Of(double.NaN) } };
        Assert.Contains("'score'", Assert.Throws<ArgumentException>(() => MixedCorpusFile.Line(nan)).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Lines_are_in_the_problem_solution_layout_with_metadata_as_typed_fields()
    {
        var science = MixedCorpus.Build(3).First(r => r.Domain == "science");
        using var line = JsonDocument.Parse(MixedCorpusFile.Line(science));
        var root = line.RootElement;
        Assert.Equal(["id", "domain", "problem", "solution", "explores", "rating", "source"], root.EnumerateObject().Select(p => p.Name));
        Assert.Equal(science.Prompt, root.GetProperty("problem").GetString());
        Assert.Equal(science.Response, root.GetProperty("solution").GetString());
        Assert.Equal(JsonValueKind.Number, root.GetProperty("rating").ValueKind);
        Assert.Equal(JsonValueKind.False, root.GetProperty("explores").ValueKind);
    }
}
