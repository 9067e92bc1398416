using Infra.Core.Metadata;

namespace Infra.Corpus.Tests;

/// <summary>The public layouts read to the lab's record shape; other scalar columns become typed metadata.</summary>
public sealed class CorpusLayoutTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    private CorpusReadResult ReadValid(CorpusReaderOptions options, params string[] lines)
    {
        var result = CorpusReader.ReadFile(_folder.Write("data.jsonl", lines), options);
        Assert.True(result.IsValid, string.Join("\n", result.Errors));
        return result;
    }

    [Fact]
    public void Problem_solution_is_detected_with_a_fixed_domain_generated_ids_and_the_other_columns_as_metadata()
    {
        var result = ReadValid(new CorpusReaderOptions { Domain = "science" },
            """{"problem": "What is 2+2?", "solution": "It is 4.", "level": "Level 3", "type": "Algebra", "year": 2021, "score": 0.5, "verified": true, "refs": [1]}""",
            """{"problem": "p2", "solution": "s2", "domain": "physics"}""");
        var first = result.Records[0];
        Assert.Equal(("data-1", "science", "What is 2+2?", "It is 4."), (first.Id, first.Domain, first.Prompt, first.Response));
        Assert.Equal(DifficultyScheme.Unlabelled, first.Difficulty);
        Assert.Equal(MetadataValue.Of("Level 3"), first.Metadata["level"]);
        Assert.Equal(MetadataValue.Of("Algebra"), first.Metadata["type"]);
        Assert.Equal(MetadataKind.Int, first.Metadata["year"].Kind);
        Assert.Equal(2021, first.Metadata["year"].IntValue);
        Assert.Equal(MetadataKind.Double, first.Metadata["score"].Kind);
        Assert.Equal(MetadataValue.Of(true), first.Metadata["verified"]);
        Assert.False(first.Metadata.ContainsKey("refs")); // nested: no group key
        Assert.Equal(("data-2", "physics"), (result.Records[1].Id, result.Records[1].Domain));
        Assert.Equal(2, result.Unlabelled);
    }

    [Fact]
    public void Question_answer_reads_the_answer_as_the_response_not_as_a_final_answer()
    {
        var result = ReadValid(new CorpusReaderOptions { Domain = "math" }, """{"question": "q", "answer": "a #### 4"}""");
        var record = Assert.Single(result.Records);
        Assert.Equal(("q", "a #### 4"), (record.Prompt, record.Response));
        Assert.Null(record.Answer);
        Assert.Empty(record.Metadata);
    }

    [Fact]
    public void Instruction_output_appends_a_non_empty_input_after_a_blank_line()
    {
        var result = ReadValid(new CorpusReaderOptions { Domain = "chat" },
            """{"instruction": "Translate.", "input": "Hallo", "output": "Hello"}""",
            """{"instruction": "Say hi.", "input": "", "output": "Hi"}""");
        Assert.Equal("Translate.\n\nHallo", result.Records[0].Prompt);
        Assert.Equal("Say hi.", result.Records[1].Prompt);
        Assert.False(result.Records[0].Metadata.ContainsKey("input"));
    }

    [Fact]
    public void Messages_take_the_last_user_and_assistant_turns_and_keep_every_turn()
    {
        var result = ReadValid(new CorpusReaderOptions { Domain = "tool-use" },
            """{"messages": [{"role": "system", "content": "Be brief."}, {"role": "user", "content": "u1"}, {"role": "assistant", "content": "a1"}, {"role": "user", "content": "u2"}, {"role": "assistant", "content": "a2"}], "source": "x"}""");
        var record = Assert.Single(result.Records);
        Assert.Equal(("u2", "a2"), (record.Prompt, record.Response));
        Assert.Equal(5, record.Messages!.Count);
        Assert.Equal(new ChatMessage("system", "Be brief."), record.Messages[0]);
        Assert.Equal(MetadataValue.Of("x"), record.Metadata["source"]);
        Assert.True(record.IsConversation, "a messages row is trained as its whole conversation");
    }

    [Fact]
    public void A_lab_row_with_optional_messages_is_not_a_conversation()
    {
        var result = ReadValid(new CorpusReaderOptions(),
            """{"id": "e1", "domain": "math", "difficulty": 1, "prompt": "p", "response": "r", "messages": [{"role": "user", "content": "other"}, {"role": "assistant", "content": "text"}]}""");
        var record = Assert.Single(result.Records);
        Assert.Equal(2, record.Messages!.Count);
        Assert.False(record.IsConversation, "the prompt and response are what a lab row trains; its messages are carried along");
    }

    [Fact]
    public void A_messages_row_without_an_assistant_turn_is_refused_naming_the_column()
    {
        var result = CorpusReader.ReadFile(_folder.Write("chat.jsonl", """{"domain": "chat", "messages": [{"role": "user", "content": "u"}]}"""));
        Assert.Contains("line 1: column 'messages' has no assistant turn", Assert.Single(result.Errors).ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void ShareGpt_conversations_of_any_length_are_read_with_their_speakers_as_roles()
    {
        var result = ReadValid(new CorpusReaderOptions { Domain = "chat" },
            """{"conversations": [{"from": "system", "value": "Be brief."}, {"from": "human", "value": "h1"}, {"from": "gpt", "value": "g1"}, {"from": "human", "value": "h2"}, {"from": "gpt", "value": "g2"}, {"from": "human", "value": "h3"}, {"from": "gpt", "value": ""}, {"from": "human", "value": "h4"}, {"from": "gpt", "value": "g4"}]}""");
        var record = Assert.Single(result.Records);
        Assert.Equal(("h4", "g4"), (record.Prompt, record.Response));
        Assert.Equal(
            [new ChatMessage("system", "Be brief."), new ChatMessage("user", "h1"), new ChatMessage("assistant", "g1"), new ChatMessage("user", "h2"),
             new ChatMessage("assistant", "g2"), new ChatMessage("user", "h3"), new ChatMessage("assistant", ""), new ChatMessage("user", "h4"),
             new ChatMessage("assistant", "g4")],
            record.Messages!);
        Assert.False(record.Metadata.ContainsKey(CorpusFields.Conversations));
        Assert.True(record.IsConversation);
        Assert.Equal(CorpusLayout.ShareGpt, CorpusLayouts.Parse("sharegpt"));
    }

    [Fact]
    public void A_ShareGpt_speaker_without_a_role_is_refused_naming_it()
    {
        var result = CorpusReader.ReadFile(_folder.Write("share.jsonl",
            """{"domain": "chat", "conversations": [{"from": "human", "value": "h"}, {"from": "function_call", "value": "{}"}, {"from": "gpt", "value": "g"}]}"""));
        Assert.Contains("line 1: conversations[1]: unknown ShareGPT speaker 'function_call'", Assert.Single(result.Errors).ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Every_column_name_can_be_overridden()
    {
        var options = new CorpusReaderOptions
        {
            Layout = CorpusLayout.Lab,
            Columns = new CorpusColumns { Id = "uid", Domain = "area", Prompt = "q", Response = "a", Difficulty = "lvl" },
        };
        var record = Assert.Single(ReadValid(options, """{"uid": "u1", "area": "biology", "q": "p", "a": "r", "lvl": 7, "prompt": "ignored"}""").Records);
        Assert.Equal(("u1", "biology", 7, "p", "r"), (record.Id, record.Domain, record.Difficulty, record.Prompt, record.Response));
        Assert.Equal(MetadataValue.Of("ignored"), record.Metadata["prompt"]);
    }

    [Fact]
    public void A_row_without_a_domain_and_no_fixed_domain_is_an_error_naming_the_row_and_column()
    {
        var result = CorpusReader.ReadFile(_folder.Write("d.jsonl", """{"problem": "p", "solution": "s", "domain": "math"}""", """{"problem": "p", "solution": "s"}"""));
        Assert.Equal("line 2: missing required field 'domain' (or give a fixed domain for rows without one)", Assert.Single(result.Errors).ToString());
    }

    [Fact]
    public void The_lab_files_read_exactly_as_before_and_write_back_byte_for_byte()
    {
        var folder = Path.Combine(RepoRoot(), "models", "default");
        var files = Directory.GetFiles(folder, "*.jsonl").Concat(Directory.Exists(Path.Combine(folder, "corpus")) ? Directory.GetFiles(Path.Combine(folder, "corpus"), "*.jsonl") : []).ToList();
        Assert.NotEmpty(files);
        foreach (var file in files)
        {
            var result = CorpusReader.ReadFile(file);
            Assert.True(result.IsValid, file);
            Assert.All(result.Records, r => Assert.Empty(r.Metadata));
            Assert.All(result.Records, r => Assert.InRange(r.Difficulty, 1, 5));
            Assert.Equal(DifficultySource.Given, result.Scheme.Source);
            Assert.Equal("difficulty", result.Scheme.Column);
            using var stream = new MemoryStream();
            CorpusWriter.Write(stream, result.Records);
            Assert.Equal(File.ReadAllBytes(file), stream.ToArray());
        }
    }

    private static string RepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Infra.Services.sln"))) return dir.FullName;
        }
        throw new InvalidOperationException($"No Infra.Services.sln above {AppContext.BaseDirectory}");
    }
}
