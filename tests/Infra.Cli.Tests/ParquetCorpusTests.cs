using System.Text.Json.Serialization;
using Infra.Cli.Corpora;
using Infra.Cli.Terminal;
using Parquet.Serialization;

namespace Infra.Cli.Tests;

/// <summary>Parquet corpora read to the same examples as their JSONL; bad rows are bad input with row numbers.</summary>
public sealed class ParquetCorpusTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("infra-cli-parquet-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    [Fact]
    public async Task A_Parquet_corpus_reads_to_the_same_examples_as_its_JSONL()
    {
        var jsonl = Path.Combine(_root, "corpus.jsonl");
        Harness.EmbeddedSlice.WriteCorpus(jsonl, 10);
        var fromJsonl = (await CorpusInput.LoadAsync(jsonl, null, CancellationToken.None)).Examples;
        var parquet = Path.Combine(_root, "corpus.parquet");
        await ParquetSerializer.SerializeAsync(fromJsonl.Select(e => new Row { Id = e.Id, Domain = e.Domain, Difficulty = e.Difficulty, Prompt = e.Prompt, Response = e.Response }), parquet);

        var fromParquet = (await CorpusInput.LoadAsync(parquet, null, CancellationToken.None)).Examples;

        Assert.Equal(10, fromParquet.Count);
        Assert.Equal(fromJsonl, fromParquet);
    }

    [Fact]
    public async Task Bad_rows_are_bad_input_with_row_numbers()
    {
        var parquet = Path.Combine(_root, "bad.parquet");
        await ParquetSerializer.SerializeAsync(new[]
        {
            new Row { Id = "a", Domain = "math", Difficulty = 1, Prompt = "p", Response = "r" },
            new Row { Id = "a", Domain = "math", Difficulty = -9, Prompt = "p", Response = "" },
            new Row { Id = "a", Domain = "science", Difficulty = 2, Prompt = "p", Response = "r" },
        }, parquet);

        var error = await Assert.ThrowsAsync<CliException>(() => CorpusInput.LoadAsync(parquet, null, CancellationToken.None));

        Assert.Equal(ExitCodes.BadInput, error.ExitCode);
        Assert.Contains("row 2: required field 'response' is empty", error.Details);
        Assert.Contains(error.Details, d => d.StartsWith("row 2: difficulty -9 in column 'difficulty' is not a level", StringComparison.Ordinal));
        Assert.Contains("row 3: duplicate id 'a' (first used on row 1)", error.Details);
    }

    [Fact]
    public async Task A_Parquet_file_without_the_corpus_columns_is_bad_input_naming_them()
    {
        var parquet = Path.Combine(_root, "other.parquet");
        await ParquetSerializer.SerializeAsync(new[] { new Other { Id = "a" } }, parquet);
        var error = await Assert.ThrowsAsync<CliException>(() => CorpusInput.LoadAsync(parquet, null, CancellationToken.None));
        Assert.Equal(ExitCodes.BadInput, error.ExitCode);
        Assert.Equal(
            ["no row has column 'domain' (the domain column of layout lab); the rows have id", "no row has column 'prompt' (the prompt column of layout lab); the rows have id",
             "no row has column 'response' (the response column of layout lab); the rows have id"], error.Details);
    }

    private sealed class Row
    {
        [JsonPropertyName("id")] public string Id { get; set; } = "";
        [JsonPropertyName("domain")] public string Domain { get; set; } = "";
        [JsonPropertyName("difficulty")] public int Difficulty { get; set; }
        [JsonPropertyName("prompt")] public string Prompt { get; set; } = "";
        [JsonPropertyName("response")] public string Response { get; set; } = "";
    }

    private sealed class Other
    {
        [JsonPropertyName("id")] public string Id { get; set; } = "";
    }
}
