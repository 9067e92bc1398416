using System.Text.Json;
using System.Text;
using Infra.Aggregation.Exports;
using Infra.Aggregation.Reweighting;
using Infra.Core.Errors;
using Infra.Core.Metadata;
using Infra.Corpus;
using Parquet;

namespace Infra.Aggregation.Tests.Reweighting;

public class WeightedCorpusTests
{
    private static readonly CorpusRecord[] Records =
    [
        new("m-1", "math", 4, "What is 3/4 + 1/8?", "Convert: 6/8 + 1/8 = 7/8.") { Answer = "7/8" },
        new("c-1", "code", 1, "print(1 + 2)", "3")
        {
            Messages = [new ChatMessage("user", "print(1 + 2)"), new ChatMessage("assistant", "3")],
            Tags = JsonDocument.Parse("{\"spans\":[{\"kind\":\"verify\",\"start\":0,\"length\":1}]}").RootElement,
        },
        new("m-2", "math", 2, "Solve x + 2 = 5, \"quickly\"", "x = 3\nCheck: 3 + 2 = 5.") { Answer = "3" },
    ];

    private static string CorpusText()
    {
        using var stream = new MemoryStream();
        CorpusWriter.Write(stream, Records);
        var lines = Encoding.UTF8.GetString(stream.ToArray()).Split('\n', StringSplitOptions.RemoveEmptyEntries).ToList();
        // A field outside the schema, a float written as 1.50 and a stale weight: all must survive as written (the weight replaced).
        lines[0] = lines[0][..^1] + ",\"source\":{\"set\":\"gsm\",\"score\":1.50},\"weight\":9}";
        return string.Join('\n', lines) + "\n\n";
    }

    private static readonly Dictionary<string, double> Weights = new(StringComparer.Ordinal) { ["m-1"] = 1.25, ["c-1"] = 0.5, ["m-2"] = 1.25 };

    [Fact]
    public void Jsonl_keeps_every_original_field_and_appends_the_weight()
    {
        var input = CorpusText();
        using var output = new StringWriter();

        WeightedCorpus.WriteJsonl(new StringReader(input), Weights, output);

        var originals = input.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var written = output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(originals.Length, written.Length);
        for (var i = 0; i < originals.Length; i++)
        {
            using var original = JsonDocument.Parse(originals[i]);
            using var weighted = JsonDocument.Parse(written[i]);
            var expected = original.RootElement.EnumerateObject().Where(p => p.Name != "weight").Select(p => (p.Name, p.Value.GetRawText()));
            var actual = weighted.RootElement.EnumerateObject().ToList();
            Assert.Equal(expected, actual.SkipLast(1).Select(p => (p.Name, p.Value.GetRawText())));
            Assert.Equal("weight", actual[^1].Name);
            Assert.Equal(Weights[weighted.RootElement.GetProperty("id").GetString()!], actual[^1].Value.GetDouble());
        }
        Assert.Contains("\"score\":1.50", written[0], StringComparison.Ordinal);
        var reread = CorpusReader.Read(new StringReader(output.ToString()));
        Assert.True(reread.IsValid, string.Join("; ", reread.Errors));
        // The reader keeps every scalar column as metadata, so the appended weight comes back as one; nothing else does.
        Assert.All(reread.Records, r => Assert.Equal(["weight"], r.Metadata.Keys));
        Assert.Equal(Canonical(Records), Canonical(reread.Records.Select(r => r with { Metadata = CorpusRecord.EmptyMetadata })));
    }

    [Fact]
    public void Jsonl_needs_a_weight_for_every_record_and_a_record_for_every_weight()
    {
        var missing = new Dictionary<string, double>(Weights, StringComparer.Ordinal);
        missing.Remove("c-1");
        Assert.Throws<DomainException>(() => WeightedCorpus.WriteJsonl(new StringReader(CorpusText()), missing, new StringWriter()));
        var extra = new Dictionary<string, double>(Weights, StringComparer.Ordinal) { ["ghost"] = 1 };
        Assert.Throws<DomainException>(() => WeightedCorpus.WriteJsonl(new StringReader(CorpusText()), extra, new StringWriter()));
        Assert.Throws<DomainException>(() => WeightedCorpus.WriteJsonl(new StringReader("[1,2]\n"), Weights, new StringWriter()));
    }

    [Fact]
    public async Task Parquet_round_trip_reads_back_with_Parquet_Net()
    {
        using var stream = new MemoryStream();
        await WeightedCorpus.WriteParquetAsync(Records, Weights, stream);
        stream.Position = 0;

        await using var reader = await ParquetReader.CreateAsync(stream);
        var fields = reader.Schema.GetDataFields();
        Assert.Equal(["id", "domain", "difficulty", "prompt", "response", "answer", "messages", "tags", "weight"], fields.Select(f => f.Name));
        using var group = reader.OpenRowGroupReader(0);
        Assert.Equal(3, group.RowCount);
        var ids = new string?[3];
        await group.ReadAsync(fields[0], ids.AsMemory());
        var difficulties = new long?[3];
        await group.ReadAsync<long>(fields[2], difficulties.AsMemory());
        var prompts = new string?[3];
        await group.ReadAsync(fields[3], prompts.AsMemory());
        var answers = new string?[3];
        await group.ReadAsync(fields[5], answers.AsMemory());
        var tags = new string?[3];
        await group.ReadAsync(fields[7], tags.AsMemory());
        var weights = new double?[3];
        await group.ReadAsync<double>(fields[8], weights.AsMemory());

        Assert.Equal(Records.Select(r => (string?)r.Id), ids.AsEnumerable());
        Assert.Equal([4L, 1, 2], difficulties);
        Assert.Equal(Records.Select(r => (string?)r.Prompt), prompts.AsEnumerable());
        Assert.Equal(new string?[] { "7/8", null, "3" }.AsEnumerable(), answers.AsEnumerable());
        Assert.Equal(Records[1].Tags!.Value.GetRawText(), tags[1]);
        Assert.Null(tags[0]);
        Assert.Equal([1.25, 0.5, 1.25], weights);

        stream.Position = 0;
        var table = await ParquetTableReader.ReadAsync(stream, "weighted_corpus");
        Assert.Equal(WeightedCorpus.ToTable(Records, Weights).Rows, table.Rows);
    }

    [Fact]
    public async Task Parquet_keeps_every_metadata_column_typed_with_nulls_where_a_record_has_none()
    {
        CorpusRecord[] records =
        [
            new("s-1", "science", 0, "p", "r") { Metadata = new Dictionary<string, MetadataValue> { ["source"] = MetadataValue.Of("lab"), ["rating"] = MetadataValue.Of(1800L), ["explores"] = MetadataValue.Of(true) } },
            new("c-1", "chat", 0, "p", "r") { Metadata = new Dictionary<string, MetadataValue> { ["source"] = MetadataValue.Of(7L), ["explores"] = MetadataValue.Of(false) } },
        ];
        var weights = new Dictionary<string, double>(StringComparer.Ordinal) { ["s-1"] = 1.5, ["c-1"] = 0.5 };
        using var stream = new MemoryStream();
        await WeightedCorpus.WriteParquetAsync(records, weights, stream);
        stream.Position = 0;
        var table = await ParquetTableReader.ReadAsync(stream, "weighted_corpus");

        Assert.Equal(["id", "domain", "difficulty", "prompt", "response", "answer", "messages", "tags", "explores", "rating", "source", "weight"], table.Columns.Select(c => c.Name));
        Assert.Equal([ColumnType.Boolean, ColumnType.Int64, ColumnType.String], table.Columns.Skip(8).Take(3).Select(c => c.Type));
        Assert.Equal(new object?[] { true, 1800L, "lab" }, table.Rows[0].Skip(8).Take(3));
        Assert.Equal(new object?[] { false, null, "7" }, table.Rows[1].Skip(8).Take(3)); // source mixes kinds: text
    }

    [Fact]
    public async Task Parquet_weighted_corpus_reads_back_to_the_same_records()
    {
        var path = Path.Combine(Path.GetTempPath(), $"weighted-{Guid.NewGuid():N}.parquet");
        try
        {
            await using (var file = File.Create(path))
                await WeightedCorpus.WriteParquetAsync(Records, Weights, file);

            var reread = await CorpusFile.ReadAsync(path, null, CancellationToken.None);

            Assert.True(reread.IsValid, string.Join("; ", reread.Errors));
            Assert.All(reread.Records, r => Assert.False(r.IsConversation));
            Assert.All(reread.Records, r => Assert.Equal(Weights[r.Id], r.Metadata["weight"].DoubleValue));
            Assert.Equal(Canonical(Records), Canonical(reread.Records.Select(r => r with { Metadata = CorpusRecord.EmptyMetadata })));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public async Task Parquet_weighted_conversations_read_back_as_conversations_with_every_turn()
    {
        // A messages corpus: every record is a whole conversation, trained turn by turn. Its weighted Parquet file
        // must read back as one (not as its last exchange under the prompt/response layout).
        CorpusRecord[] conversations =
        [
            new("chat-1", "chat", 0, "And 3 + 4?", "7")
            {
                Messages = [new("system", "Be brief."), new("user", "2 + 2?"), new("assistant", "4"), new("user", "And 3 + 4?"), new("assistant", "7")],
                IsConversation = true,
            },
            new("chat-2", "chat", 2, "Name a prime.", "5")
            {
                Messages = [new("user", "Name a prime."), new("assistant", "5")],
                IsConversation = true,
            },
        ];
        var weights = new Dictionary<string, double>(StringComparer.Ordinal) { ["chat-1"] = 2, ["chat-2"] = 0.25 };
        var path = Path.Combine(Path.GetTempPath(), $"weighted-{Guid.NewGuid():N}.parquet");
        try
        {
            await using (var file = File.Create(path))
                await WeightedCorpus.WriteParquetAsync(conversations, weights, file);

            var reread = await CorpusFile.ReadAsync(path, null, CancellationToken.None);

            Assert.True(reread.IsValid, string.Join("; ", reread.Errors));
            Assert.Equal(conversations.Select(c => c.Id), reread.Records.Select(r => r.Id));
            for (var i = 0; i < conversations.Length; i++)
            {
                var record = reread.Records[i];
                Assert.True(record.IsConversation, $"{record.Id} must read back as a conversation");
                Assert.Equal(conversations[i].Messages, record.Messages);
                Assert.Equal((conversations[i].Prompt, conversations[i].Response), (record.Prompt, record.Response));
                Assert.Equal(conversations[i].Difficulty, record.Difficulty);
                Assert.Equal(weights[record.Id], record.Metadata["weight"].DoubleValue);
            }
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Resampling_is_deterministic_and_proportional_to_weight()
    {
        var examples = Enumerable.Range(0, 5).Select(i => new WeightedExample(new WeightingExample($"x{i}", "math", 1, 0), i == 4 ? 0 : i + 1)).ToArray();

        var first = CorpusResampler.Draw(examples, seed: 11, count: 100_000);
        Assert.Equal(first, CorpusResampler.Draw(examples, seed: 11, count: 100_000));
        Assert.NotEqual(first, CorpusResampler.Draw(examples, seed: 12, count: 100_000));
        Assert.Equal(100_000, first.Sum());
        Assert.Equal(0, first[4]); // weight 0: never drawn
        double[] expected = [0.1, 0.2, 0.3, 0.4];
        for (var i = 0; i < 4; i++)
        {
            // Binomial sd at n = 1e5 is at most 0.0016; 0.006 is almost 4 sd.
            Assert.Equal(expected[i], first[i] / 100_000.0, 0.006);
        }
        Assert.Equal(5, CorpusResampler.Draw(examples, seed: 1).Sum()); // default: as many draws as examples
        Assert.Throws<DomainException>(() => CorpusResampler.Draw([new(new WeightingExample("a", "math", 1, 0), 0)], seed: 1));
        Assert.Throws<DomainException>(() => CorpusResampler.Draw([new(new WeightingExample("a", "math", 1, 0), -1)], seed: 1));
    }

    [Fact]
    public void Resampled_corpus_repeats_lines_with_unique_ids_and_source_ids()
    {
        var copies = new Dictionary<string, int>(StringComparer.Ordinal) { ["m-1"] = 3, ["c-1"] = 0, ["m-2"] = 1 };
        using var output = new StringWriter();

        CorpusResampler.WriteJsonl(new StringReader(CorpusText()), copies, output);

        var reread = CorpusReader.Read(new StringReader(output.ToString()));
        Assert.True(reread.IsValid, string.Join("; ", reread.Errors));
        Assert.Equal(["m-1", "m-1~2", "m-1~3", "m-2"], reread.Records.Select(r => r.Id));
        var lines = output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(["m-1", "m-1", "m-1", "m-2"], lines.Select(line => JsonDocument.Parse(line).RootElement.GetProperty(CorpusResampler.SourceIdField).GetString()));
        Assert.All(reread.Records.Take(3), r => Assert.Equal(Records[0].Response, r.Response));
        Assert.Contains("\"source\":{\"set\":\"gsm\",\"score\":1.50}", lines[1], StringComparison.Ordinal);
    }

    private static string Canonical(IEnumerable<CorpusRecord> records)
    {
        using var stream = new MemoryStream();
        CorpusWriter.Write(stream, records);
        return Encoding.UTF8.GetString(stream.ToArray());
    }
}
