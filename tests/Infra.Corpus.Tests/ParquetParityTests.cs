using System.Text.Json.Serialization;
using Infra.Core.Metadata;
using Parquet.Serialization;

namespace Infra.Corpus.Tests;

/// <summary>JSONL and Parquet give the same records under the same options; the writer's output reads back equal.</summary>
public sealed class ParquetParityTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    private static readonly CorpusReaderOptions Options = new()
    {
        Domain = "math",
        DifficultyMapping = DifficultyMaps.MathLevels,
        Columns = new CorpusColumns { Difficulty = "level" },
    };

    [Fact]
    public async Task The_same_rows_read_to_the_same_records_from_JSONL_and_Parquet()
    {
        var jsonl = _folder.Write("math.jsonl",
            """{"problem": "p1", "solution": "s1", "level": "Level 2", "type": "Algebra", "rating": 1200, "score": 2.0, "verified": true}""",
            """{"problem": "p2", "solution": "s2", "level": null, "type": "Geometry", "rating": 800, "score": 0.25, "verified": false, "domain": "geometry"}""");
        var parquet = Path.Combine(_folder.Root, "math.parquet");
        await ParquetSerializer.SerializeAsync(new[]
        {
            new MathRow { Problem = "p1", Solution = "s1", Level = "Level 2", Type = "Algebra", Rating = 1200, Score = 2.0, Verified = true },
            new MathRow { Problem = "p2", Solution = "s2", Level = null, Type = "Geometry", Rating = 800, Score = 0.25, Verified = false, Domain = "geometry" },
        }, parquet);

        var fromJsonl = (await CorpusFile.ReadAsync(jsonl, Options, CancellationToken.None)).Records;
        var fromParquet = await CorpusFile.ReadAsync(parquet, Options, CancellationToken.None);

        Assert.Equal(Describe(fromJsonl).Select(s => s.Replace("math-", "", StringComparison.Ordinal)), Describe(fromParquet.Records).Select(s => s.Replace("math-", "", StringComparison.Ordinal)));
        Assert.Equal(MetadataKind.Double, fromParquet.Records[0].Metadata["score"].Kind);
        Assert.Equal(MetadataKind.Int, fromParquet.Records[0].Metadata["rating"].Kind);
        Assert.Equal([2, 0], fromParquet.Records.Select(r => r.Difficulty));
        Assert.Equal(DifficultySource.Mapped, fromParquet.Scheme.Source);
    }

    [Fact]
    public async Task Bad_Parquet_rows_are_refused_with_row_numbers()
    {
        var parquet = Path.Combine(_folder.Root, "bad.parquet");
        await ParquetSerializer.SerializeAsync(new[] { new MathRow { Problem = "p", Solution = "s", Level = "Level 7" } }, parquet);
        var error = await Assert.ThrowsAsync<CorpusFormatException>(() => CorpusFile.ReadAsync(parquet, Options, CancellationToken.None));
        Assert.StartsWith("row 1: label \"Level 7\" in column 'level' has no mapping", Assert.Single(error.Details), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_read_corpus_written_back_reads_back_equal()
    {
        var source = _folder.Write("src.jsonl",
            """{"problem": "p1", "solution": "s1", "level": "Level 4", "rating": 1500, "score": 3.0, "ok": true, "tags": ["t"]}""",
            """{"problem": "p2", "solution": "s2", "level": null, "source": "aops", "domain": "number theory"}""");
        var read = (await CorpusFile.ReadAsync(source, Options, CancellationToken.None)).Records;
        var written = Path.Combine(_folder.Root, "written.jsonl");
        CorpusWriter.WriteFile(written, read);

        var back = (await CorpusFile.ReadAsync(written, null, CancellationToken.None)).Records;

        Assert.Equal(Describe(read), Describe(back));
        Assert.Equal(MetadataKind.Double, back[0].Metadata["score"].Kind);
        Assert.Equal(0, back[1].Difficulty);
    }

    [Fact]
    public async Task ShareGpt_conversations_read_from_Parquet_as_from_JSONL()
    {
        var jsonl = _folder.Write("chat.jsonl",
            """{"domain": "chat", "conversations": [{"from": "system", "value": "s"}, {"from": "human", "value": "h1"}, {"from": "gpt", "value": "g1"}, {"from": "human", "value": "h2"}, {"from": "gpt", "value": "g2"}]}""");
        var parquet = Path.Combine(_folder.Root, "chat.parquet");
        await ParquetSerializer.SerializeAsync(new[]
        {
            new ShareGptRow
            {
                Domain = "chat",
                Conversations = [new() { From = "system", Value = "s" }, new() { From = "human", Value = "h1" }, new() { From = "gpt", Value = "g1" }, new() { From = "human", Value = "h2" }, new() { From = "gpt", Value = "g2" }],
            },
        }, parquet);

        var fromJsonl = Assert.Single((await CorpusFile.ReadAsync(jsonl, null, CancellationToken.None)).Records);
        var fromParquet = Assert.Single((await CorpusFile.ReadAsync(parquet, null, CancellationToken.None)).Records);

        Assert.Equal(fromJsonl.Messages!, fromParquet.Messages!);
        Assert.Equal(5, fromParquet.Messages!.Count);
        Assert.Equal(("h2", "g2"), (fromParquet.Prompt, fromParquet.Response));
    }

    private sealed class ShareGptRow
    {
        [JsonPropertyName("domain")] public string Domain { get; set; } = "";
        [JsonPropertyName("conversations")] public List<ShareGptTurn> Conversations { get; set; } = [];
    }

    private sealed class ShareGptTurn
    {
        [JsonPropertyName("from")] public string From { get; set; } = "";
        [JsonPropertyName("value")] public string Value { get; set; } = "";
    }

    // Records compare field by field: their metadata dictionaries and tags have no value equality of their own.
    private static IEnumerable<string> Describe(IEnumerable<CorpusRecord> records) => records.Select(r =>
        $"{r.Id}|{r.Domain}|{r.Difficulty}|{r.Prompt}|{r.Response}|{r.Answer}|{r.Tags?.GetRawText()}|"
        + string.Join(";", r.Metadata.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => $"{p.Key}={MetadataValue.KindName(p.Value.Kind)}:{p.Value}")));

    private sealed class MathRow
    {
        [JsonPropertyName("problem")] public string Problem { get; set; } = "";
        [JsonPropertyName("solution")] public string Solution { get; set; } = "";
        [JsonPropertyName("level")] public string? Level { get; set; }
        [JsonPropertyName("type")] public string? Type { get; set; }
        [JsonPropertyName("rating")] public long? Rating { get; set; }
        [JsonPropertyName("score")] public double? Score { get; set; }
        [JsonPropertyName("verified")] public bool? Verified { get; set; }
        [JsonPropertyName("domain")] public string? Domain { get; set; }
    }
}
