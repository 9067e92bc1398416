using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using Infra.Cli.Tests.Harness;
using Infra.Core.Store;
using Infra.Core.Text;
using Parquet.Serialization;
using Xunit.Abstractions;

namespace Infra.Cli.Tests;

/// <summary>
/// Issue 15 item 3 through the CLI and the services as processes: multi-turn corpora (a JSONL `messages` file and a ShareGPT
/// Parquet file) indexed on a checkpoint that carries its own chat_template, stored with the token ids of
/// <see cref="ConversationEncoder"/> run directly on that template and a loss mask over exactly the assistant turns (and
/// the trained newline), or the last turn only, or without the newline, as the options say; prompt/response rows indexed
/// through the same service keep the ids of <see cref="ChatTemplate.Build"/>.
/// </summary>
public sealed class ConversationCorpusEndToEndTests(ITestOutputHelper log) : IDisposable
{
    // The checkpoint's own template, unlike the built-in Qwen2.5 one: no default system turn, contents trimmed (as Llama
    // 3's template trims them). Using the embedded tokenizer's special tokens keeps the turns' borders single tokens.
    private const string Template =
        "{%- for message in messages -%}"
        + "{{- '<|im_start|>' + message['role'] + '\\n' + message['content'] | trim + '<|im_end|>' + '\\n' -}}"
        + "{%- endfor -%}"
        + "{%- if add_generation_prompt -%}{{- '<|im_start|>assistant\\n' -}}{%- endif -%}";

    private static readonly (string Role, string Content)[][] Conversations =
    [
        [
            ("system", "You are a careful math tutor."),
            ("user", "What is 12 + 30?"),
            ("assistant", "12 + 30 = 42. The answer is 42."),
            ("user", "And twice that?"),
            ("assistant", "\nTwice 42 is 2 * 42 = 84.\nThe answer is 84."), // trimmed by the template
            ("user", "Half of it?"),
            ("assistant", "84 / 2 = 42. The answer is 42."),
        ],
        [
            ("user", "Write f(x) = x * 2 in Python."),
            ("assistant", "```python\ndef f(x):\n    return x * 2\n```"),
            ("user", "Now call it on 21."),
            ("assistant", "f(21) returns 42."),
        ],
        [
            ("user", "Ready?"),
            ("assistant", ""), // an empty earlier turn: only its end of turn is trained
            ("user", "What is 7 * 6?"),
            ("assistant", "7 * 6 = 42. The answer is 42."),
        ],
    ];

    private readonly string _root = Directory.CreateTempSubdirectory("infra-conversations-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    [Fact]
    public async Task Index_help_documents_the_conversation_loss_options()
    {
        var help = await CliRun.InvokeAsync(["index", "--help"], new Dictionary<string, string?>(), _root);
        Assert.Equal(0, help.ExitCode);
        Assert.Contains("--loss-turns", help.Out, StringComparison.Ordinal);
        Assert.Contains("--no-trailing-newline", help.Out, StringComparison.Ordinal);
        Assert.Contains("chat template", help.Out, StringComparison.Ordinal);
    }

    [Fact]
    [Trait("Category", "EndToEnd")]
    public async Task Multi_turn_JSONL_and_ShareGPT_Parquet_corpora_index_with_the_checkpoints_own_template_and_assistant_only_loss()
    {
        var model = CopyEmbeddedModelWithTemplate(Path.Combine(_root, "model"));
        var messages = Path.Combine(_root, "conversations.jsonl");
        WriteMessages(messages, "c");
        var last = Path.Combine(_root, "last.jsonl");
        WriteMessages(last, "l");
        var noNewline = Path.Combine(_root, "no-newline.jsonl");
        WriteMessages(noNewline, "n");
        var shareGpt = Path.Combine(_root, "sharegpt.parquet");
        await ParquetSerializer.SerializeAsync(Conversations.Select((c, i) => new ShareGptRow
        {
            Id = $"s{i}",
            Domain = "chat",
            Conversations = c.Select(t => new ShareGptTurn { From = t.Role switch { "user" => "human", "assistant" => "gpt", _ => t.Role }, Value = t.Content }).ToList(),
        }), shareGpt);
        var single = Path.Combine(_root, "single.jsonl");
        var singleIds = EmbeddedSlice.WriteCorpus(single, 2);
        var store = Path.Combine(_root, "store");

        using (var gradients = await ServiceProcess.StartAsync("Infra.Gradients", new Dictionary<string, string>
        {
            ["Gradients:ModelPath"] = model,
            ["Gradients:Device"] = "cpu",
            ["Gradients:FactorsPath"] = Path.Combine(_root, "factors"),
        }))
        using (var scoring = await ServiceProcess.StartAsync("Infra.Scoring", new Dictionary<string, string> { ["Scoring:StorePath"] = store }))
        {
            var env = new Dictionary<string, string?>
            {
                ["INFRA_GRADIENTS__ADDRESS"] = gradients.Address.ToString(),
                ["INFRA_SCORING__ADDRESS"] = scoring.Address.ToString(),
                ["INFRA_PROJECTIONDIM"] = "16",
            };
            await IndexAsync(env, [messages], Conversations.Length);
            await IndexAsync(env, [last, "--loss-turns", "last"], Conversations.Length);
            await IndexAsync(env, [noNewline, "--no-trailing-newline"], Conversations.Length);
            await IndexAsync(env, [shareGpt, "--layout", "sharegpt"], Conversations.Length);
            await IndexAsync(env, [single], singleIds.Count);
        }

        var tokenizer = HfTokenizer.LoadFolder(model);
        var template = CheckpointChatTemplate.Load(Path.Combine(model, "tokenizer_config.json"));
        using var stored = GradientStore.Open(store);
        for (var i = 0; i < Conversations.Length; i++)
        {
            var turns = Conversations[i].Select(t => new ChatTurn(t.Role, t.Content)).ToList();
            var answers = Conversations[i].Where(t => t.Role == "assistant").Select(t => t.Content.Trim() + "<|im_end|>").ToList();
            foreach (var (prefix, options, runs) in new (string, ConversationLossOptions, List<string>)[]
            {
                ("c", new ConversationLossOptions(), answers.Select(a => a + "\n").ToList()),
                ("s", new ConversationLossOptions(), answers.Select(a => a + "\n").ToList()),
                ("l", new ConversationLossOptions { LastAssistantTurnOnly = true }, [answers[^1] + "\n"]),
                ("n", new ConversationLossOptions { TrainTrailingNewline = false }, answers),
            })
            {
                var id = $"{prefix}{i}";
                var tokens = Tokens(stored, id);
                var expected = ConversationEncoder.Encode(tokenizer, template, turns, options);
                Assert.Equal(expected.Ids, tokens.TokenIds);
                Assert.Equal(expected.LossMask, tokens.LossMask);
                Assert.Equal(expected.RenderedText, tokens.Text);
                Assert.DoesNotContain(Infra.Core.Text.ChatTemplateOptions.QwenDefaultSystemMessage, tokens.Text, StringComparison.Ordinal);
                // Independently of the encoder: the trained tokens are exactly each trained assistant turn's text, its end of
                // turn and (unless turned off) the line break after it, one unbroken run per turn.
                Assert.Equal(runs, TrainedRuns(tokens));
                log.WriteLine($"{id}: {tokens.TokenIds.Length} tokens, {tokens.LossMask.Count(m => m == 1)} trained");
            }
        }
        foreach (var id in singleIds)
        {
            var line = File.ReadLines(single).Select(l => JsonDocument.Parse(l).RootElement).Single(r => r.GetProperty("id").GetString() == id);
            var expected = ChatTemplate.Build(tokenizer, null, line.GetProperty("prompt").GetString()!, line.GetProperty("response").GetString()!, ChatFormat.Qwen25);
            var tokens = Tokens(stored, id);
            Assert.Equal(expected.Ids, tokens.TokenIds);
            Assert.Equal(expected.LossMask, tokens.LossMask);
        }
    }

    private async Task IndexAsync(Dictionary<string, string?> env, string[] args, int examples)
    {
        var run = await CliRun.InvokeAsync(["index", .. args, "--json"], env, _root);
        log.WriteLine(run.ToString());
        Assert.True(run.ExitCode == 0, $"infra index {string.Join(' ', args)}: {run}");
        Assert.Equal((ulong)examples, run.Json().GetProperty("result").GetProperty("stored").GetUInt64());
    }

    private static TokenDetails Tokens(GradientStore store, string id)
    {
        var (shard, row) = store.Locate(id) ?? throw new InvalidOperationException($"{id} is not in the store");
        return shard.ReadTokens(row);
    }

    private static List<string> TrainedRuns(TokenDetails tokens)
    {
        var runs = new List<string>();
        var current = new System.Text.StringBuilder();
        for (var t = 0; t <= tokens.TokenIds.Length; t++)
        {
            if (t < tokens.TokenIds.Length && tokens.LossMask[t] == 1)
            {
                current.Append(tokens.TokenString(t));
            }
            else if (current.Length > 0)
            {
                runs.Add(current.ToString());
                current.Clear();
            }
        }
        return runs;
    }

    private static void WriteMessages(string path, string prefix) =>
        File.WriteAllLines(path, Conversations.Select((c, i) => JsonSerializer.Serialize(new
        {
            id = $"{prefix}{i}",
            domain = "chat",
            messages = c.Select(t => new { role = t.Role, content = t.Content }),
        })));

    // The embedded default's checkpoint (which has no chat_template) with Template added to its tokenizer_config.json.
    private static string CopyEmbeddedModelWithTemplate(string folder)
    {
        Directory.CreateDirectory(folder);
        foreach (var file in Directory.GetFiles(Path.Combine(EmbeddedSlice.DefaultFolder, "model")))
            File.Copy(file, Path.Combine(folder, Path.GetFileName(file)));
        var configPath = Path.Combine(folder, "tokenizer_config.json");
        var config = JsonNode.Parse(File.ReadAllText(configPath))!.AsObject();
        config["chat_template"] = Template;
        File.WriteAllText(configPath, config.ToJsonString());
        return folder;
    }

    private sealed class ShareGptRow
    {
        [JsonPropertyName("id")] public string Id { get; set; } = "";
        [JsonPropertyName("domain")] public string Domain { get; set; } = "";
        [JsonPropertyName("conversations")] public List<ShareGptTurn> Conversations { get; set; } = [];
    }

    private sealed class ShareGptTurn
    {
        [JsonPropertyName("from")] public string From { get; set; } = "";
        [JsonPropertyName("value")] public string Value { get; set; } = "";
    }
}
