using Infra.Core.Metadata;

namespace Infra.Corpus.Tests;

/// <summary>Difficulty given, mapped or binned; unlabelled rows allowed; every bad value refused naming row, column and value.</summary>
public sealed class DifficultyReadingTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    private CorpusReadResult Read(CorpusReaderOptions options, params string[] lines) => CorpusReader.ReadFile(_folder.Write("d.jsonl", lines), options);

    private static string Row(string id, string extra) => $$"""{"id": "{{id}}", "domain": "code", "prompt": "p", "response": "r"{{extra}}}""";

    [Fact]
    public void A_preset_maps_labels_keeps_the_raw_label_as_metadata_and_leaves_absent_labels_unlabelled()
    {
        var result = Read(new CorpusReaderOptions { DifficultyMapping = DifficultyMaps.Apps, Columns = new CorpusColumns { Difficulty = "difficulty_label" } },
            Row("a", """, "difficulty_label": "interview" """), Row("b", """, "difficulty_label": null """), Row("c", """, "difficulty_label": "competition" """));
        Assert.True(result.IsValid, string.Join("\n", result.Errors));
        Assert.Equal([2, 0, 3], result.Records.Select(r => r.Difficulty));
        Assert.Equal(MetadataValue.Of("interview"), result.Records[0].Metadata["difficulty_label"]);
        Assert.Equal(1, result.Unlabelled);
        Assert.Equal(DifficultySource.Mapped, result.Scheme.Source);
        Assert.Equal("difficulty_label", result.Scheme.Column);
        Assert.Equal(3, result.Scheme.Levels);
        Assert.Contains("'interview' -> 2", result.Scheme.Describe(), StringComparison.Ordinal);
    }

    [Fact]
    public void Binned_ratings_get_the_hand_computed_quantile_edges()
    {
        // 10 ratings, 4 bins: edge k is the sorted value at rank ceil(k * 10 / 4) = 3, 5, 8 -> 1000, 1400, 2200.
        int[] ratings = [3500, 800, 1400, 900, 2600, 1000, 1200, 2200, 1600, 1900];
        var lines = ratings.Select((r, i) => Row($"r{i}", $", \"rating\": {r}")).Append(Row("none", "")).ToArray();
        var result = Read(new CorpusReaderOptions { Columns = new CorpusColumns { Difficulty = "rating" }, DifficultyBins = 4 }, lines);
        Assert.True(result.IsValid, string.Join("\n", result.Errors));
        Assert.Equal([1000.0, 1400.0, 2200.0], result.Scheme.BinEdges);
        Assert.Equal(4, result.Scheme.Levels);
        Assert.Equal([4, 1, 2, 1, 4, 1, 2, 3, 3, 3, 0], result.Records.Select(r => r.Difficulty));
        Assert.Equal(MetadataValue.Of(2600L), result.Records[4].Metadata["rating"]);
    }

    [Fact]
    public void Quantile_edges_do_not_depend_on_order_and_ties_share_a_level()
    {
        double[] values = [5, 1, 5, 5, 2, 5, 9];
        Assert.Equal(QuantileBins.Edges(values, 3), QuantileBins.Edges(values.Reverse(), 3));
        // ranks ceil(7/3) = 3 and ceil(14/3) = 5 of 1 2 5 5 5 5 9 are both 5: one edge, so 1, 2 and every 5 share level 1.
        Assert.Equal([5.0], QuantileBins.Edges(values, 3));
        Assert.Equal([3.0, 5.0], QuantileBins.Edges([1, 2, 3, 5, 5, 5, 9, 9, 9], 4)); // ranks 3, 5, 7 hold 3, 5, 9; 9 is the maximum, dropped
        Assert.Equal([5.0], QuantileBins.Edges([5, 5, 5, 9], 3)); // a repeated edge is dropped: fewer levels, none empty
        Assert.Empty(QuantileBins.Edges([5, 5, 5], 3)); // nothing lies above the maximum
    }

    [Fact]
    public void Given_levels_above_five_are_kept_and_the_scheme_counts_the_highest()
    {
        var result = Read(new CorpusReaderOptions(), Row("a", """, "difficulty": 7 """), Row("b", ""));
        Assert.True(result.IsValid, string.Join("\n", result.Errors));
        Assert.Equal([7, 0], result.Records.Select(r => r.Difficulty));
        Assert.Equal(new { Source = DifficultySource.Given, Levels = 7 }, new { result.Scheme.Source, result.Scheme.Levels });
        Assert.Empty(result.Records[0].Metadata);
    }

    [Fact]
    public void Every_bad_value_is_collected_naming_row_column_and_value()
    {
        var mapped = Read(new CorpusReaderOptions { DifficultyMapping = DifficultyMaps.MathLevels, Columns = new CorpusColumns { Difficulty = "level" } },
            Row("a", """, "level": "Level 9" """), Row("b", """, "level": "Level 2" """), Row("c", """, "level": "Level ?" """));
        Assert.Equal(
            ["line 1: label \"Level 9\" in column 'level' has no mapping", "line 3: label \"Level ?\" in column 'level' has no mapping"],
            mapped.Errors.Select(e => e.ToString()[..e.ToString().IndexOf(" (", StringComparison.Ordinal)]));
        var binned = Read(new CorpusReaderOptions { Columns = new CorpusColumns { Difficulty = "rating" }, DifficultyBins = 3 },
            Row("a", """, "rating": 1200 """), Row("b", """, "rating": "hard" """));
        Assert.Equal("line 2: column 'rating' is binned, so it must hold numbers, but has \"hard\"", Assert.Single(binned.Errors).ToString());
        var given = Read(new CorpusReaderOptions(), Row("a", """, "difficulty": -2 """), Row("b", """, "difficulty": 1.5 """));
        Assert.StartsWith("line 1: difficulty -2 in column 'difficulty' is not a level", given.Errors[0].ToString(), StringComparison.Ordinal);
        Assert.Equal("line 2: field 'difficulty' must be an integer but is 1.5", given.Errors[1].ToString());
    }

    [Fact]
    public void A_named_column_that_no_row_has_is_refused_naming_it()
    {
        var result = Read(new CorpusReaderOptions { Columns = new CorpusColumns { Difficulty = "ratng" }, DifficultyBins = 3 }, Row("a", """, "rating": 1200 """));
        var error = Assert.Single(result.Errors);
        Assert.Equal(0, error.Line);
        Assert.StartsWith("no row has column 'ratng' (the difficulty column of layout lab)", error.ToString(), StringComparison.Ordinal);
        Assert.Empty(result.Records);
    }

    [Fact]
    public void Contradicting_difficulty_options_are_refused()
    {
        Assert.Throws<ArgumentException>(() => Read(new CorpusReaderOptions { DifficultyMapping = DifficultyMaps.Apps, DifficultyBins = 3 }, Row("a", "")));
        Assert.Throws<ArgumentException>(() => Read(new CorpusReaderOptions { DifficultyBins = 1 }, Row("a", "")));
    }

    [Fact]
    public void Mapping_specs_parse_presets_pairs_and_files()
    {
        Assert.Same(DifficultyMaps.MathLevels, DifficultyMaps.Parse("math-levels", _folder.Root));
        Assert.Equal(new Dictionary<string, int> { ["Level 3"] = 3, ["a=b"] = 1, ["?"] = 0 }, DifficultyMaps.Parse("Level 3=3, a=b=1,?=0", _folder.Root));
        File.WriteAllText(Path.Combine(_folder.Root, "map.json"), """{"introductory": 1, "interview": 2}""");
        Assert.Equal(new Dictionary<string, int> { ["introductory"] = 1, ["interview"] = 2 }, DifficultyMaps.Parse("@map.json", _folder.Root));
        Assert.Contains("is not label=level", Assert.Throws<ArgumentException>(() => DifficultyMaps.Parse("easy", _folder.Root)).Message, StringComparison.Ordinal);
        Assert.Contains("mapped twice", Assert.Throws<ArgumentException>(() => DifficultyMaps.Parse("a=1,a=2", _folder.Root)).Message, StringComparison.Ordinal);
        Assert.Contains("negative level", Assert.Throws<ArgumentException>(() => DifficultyMaps.Parse("a=-1", _folder.Root)).Message, StringComparison.Ordinal);
    }
}
