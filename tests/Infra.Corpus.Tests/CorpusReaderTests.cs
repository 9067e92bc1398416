using Infra.Corpus;

namespace Infra.Corpus.Tests;

public class CorpusReaderTests
{
    private const string Good = """{"id": "a", "domain": "math", "difficulty": 2, "prompt": "1+1?", "response": "The answer is 2.", "answer": "2"}""";

    private static CorpusReadResult Read(params string[] lines) =>
        CorpusReader.Read(new StringReader(string.Join('\n', lines) + "\n"));

    [Theory]
    [InlineData("""{"id": "b", "domain": "math", "difficulty": 2, "prompt": "p", "response": "r",}""", "invalid JSON")]
    [InlineData("""[1, 2]""", "expected a JSON object")]
    [InlineData("""{"domain": "math", "difficulty": 2, "prompt": "p", "response": "r"}""", "missing required field 'id'")]
    [InlineData("""{"id": "b", "domain": "math", "difficulty": 2, "prompt": "  ", "response": "r"}""", "required field 'prompt' is empty")]
    [InlineData("""{"id": "b", "domain": "math", "difficulty": 2, "prompt": "p"}""", "missing required field 'response'")]
    [InlineData("""{"id": 7, "domain": "math", "difficulty": 2, "prompt": "p", "response": "r"}""", "field 'id' must be a string")]
    [InlineData("""{"id": "b", "domain": "", "difficulty": 2, "prompt": "p", "response": "r"}""", "required field 'domain' is empty")]
    [InlineData("""{"id": "b", "difficulty": 2, "prompt": "p", "response": "r"}""", "missing required field 'domain' (or give a fixed domain")]
    [InlineData("""{"id": "b", "domain": "math", "difficulty": -1, "prompt": "p", "response": "r"}""", "difficulty -1 in column 'difficulty' is not a level")]
    [InlineData("""{"id": "b", "domain": "math", "difficulty": 0, "prompt": "p", "response": "r"}""", "difficulty 0 in column 'difficulty' is not a level")]
    [InlineData("""{"id": "b", "domain": "math", "difficulty": 2.5, "prompt": "p", "response": "r"}""", "field 'difficulty' must be an integer but is 2.5")]
    [InlineData("""{"id": "b", "domain": "math", "difficulty": "hard", "prompt": "p", "response": "r"}""", "field 'difficulty' must be an integer but is \"hard\"")]
    [InlineData("""{"id": "a", "domain": "code", "difficulty": 1, "prompt": "p", "response": "r"}""", "duplicate id 'a' (first used on line 1)")]
    [InlineData("""{"id": "b", "domain": "math", "difficulty": 2, "prompt": "p", "response": "r", "messages": [{"role": "user"}]}""", "messages[0] must be an object")]
    [InlineData("""{"id": "b", "domain": "math", "difficulty": 2, "prompt": "p", "response": "r", "tags": "hard"}""", "field 'tags' must be a JSON object or list")]
    [InlineData("""{"id": "b", "domain": "math", "difficulty": 2, "prompt": "p", "response": "r", "answer": [2]}""", "field 'answer' must be a string or number")]
    [InlineData("   ", "empty line")]
    public void Each_kind_of_bad_line_is_reported_with_its_line_number(string bad, string message)
    {
        var result = Read(Good, bad, Good.Replace("\"a\"", "\"c\"", StringComparison.Ordinal));
        Assert.Equal(3, result.LineCount);
        Assert.Equal(2, result.Records.Count);
        Assert.Equal(1, result.InvalidLines);
        var error = Assert.Single(result.Errors);
        Assert.Equal(2, error.Line);
        Assert.Contains(message, error.Message, StringComparison.Ordinal);
        Assert.StartsWith("line 2: ", error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void All_errors_of_a_line_and_of_the_file_are_collected()
    {
        var result = Read(
            """{"id": "", "domain": "", "difficulty": -9, "prompt": "p", "response": "r"}""",
            Good,
            "not json",
            Good);
        Assert.Equal([1, 1, 1, 3, 4], result.Errors.Select(e => e.Line));
        Assert.Equal(5, result.ErrorCount);
        Assert.Equal(3, result.InvalidLines);
        Assert.Single(result.Records);
        Assert.False(result.IsValid);
    }

    [Fact]
    public void Errors_beyond_the_cap_are_counted_but_not_kept()
    {
        var lines = Enumerable.Repeat("{", 250).ToArray();
        var result = CorpusReader.Read(new StringReader(string.Join('\n', lines)), new CorpusReaderOptions { MaxErrors = 10 });
        Assert.Equal(10, result.Errors.Count);
        Assert.Equal(250, result.ErrorCount);
        Assert.Equal(250, result.InvalidLines);
        Assert.True(result.ErrorsTruncated);
    }

    [Fact]
    public void Optional_fields_are_read_and_written_back_unchanged()
    {
        const string line = """{"id":"x","domain":"code","difficulty":5,"prompt":"p","response":"r","messages":[{"role":"user","content":"p"},{"role":"assistant","content":"r"}],"tags":["free","form"],"answer":"42"}""";
        var result = Read(line, """{"id":"y","domain":"math","difficulty":1,"prompt":"p","response":"r","answer":42}""");
        Assert.True(result.IsValid);
        var record = result.Records[0];
        Assert.Equal("code", record.Domain);
        Assert.Equal([new ChatMessage("user", "p"), new ChatMessage("assistant", "r")], record.Messages!);
        Assert.Equal("42", result.Records[1].Answer);
        using var stream = new MemoryStream();
        CorpusWriter.Write(stream, [record]);
        Assert.Equal(line + "\n", System.Text.Encoding.UTF8.GetString(stream.ToArray()));
    }
}
