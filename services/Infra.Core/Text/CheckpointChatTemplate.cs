using System.Text.Json;
using System.Text.Json.Nodes;
using Infra.Core.Text.Jinja;

namespace Infra.Core.Text;

/// <summary>
/// A checkpoint's own chat template (<c>chat_template</c> of its <c>tokenizer_config.json</c>) with the
/// <c>bos_token</c> and <c>eos_token</c> it refers to, rendered as HF's <c>apply_chat_template</c> renders it
/// (see <see cref="JinjaTemplate"/>). Thread-safe.
/// </summary>
public sealed class CheckpointChatTemplate
{
    private readonly JinjaTemplate _template;

    /// <summary>Parses <paramref name="chatTemplate"/>; the token texts may be null when the checkpoint has none.</summary>
    /// <exception cref="JinjaException">The template does not parse.</exception>
    public CheckpointChatTemplate(string chatTemplate, string? bosToken, string? eosToken)
    {
        ArgumentNullException.ThrowIfNull(chatTemplate);
        _template = JinjaTemplate.Parse(chatTemplate);
        BosToken = bosToken;
        EosToken = eosToken;
    }

    /// <summary>The <c>bos_token</c> the template is given; null when the checkpoint has none.</summary>
    public string? BosToken { get; }

    /// <summary>The <c>eos_token</c> the template is given; null when the checkpoint has none.</summary>
    public string? EosToken { get; }

    /// <summary>
    /// Reads <c>chat_template</c>, <c>bos_token</c> and <c>eos_token</c> from a tokenizer_config.json. A template
    /// written as a list of named templates (as some checkpoints do) gives the one named <c>default</c>.
    /// </summary>
    /// <exception cref="TokenizerException">A missing file, invalid JSON, or no chat template in it.</exception>
    public static CheckpointChatTemplate Load(string tokenizerConfigPath)
    {
        ArgumentNullException.ThrowIfNull(tokenizerConfigPath);
        if (!File.Exists(tokenizerConfigPath)) throw new TokenizerException($"tokenizer_config.json not found: {tokenizerConfigPath}");
        JsonObject root;
        try
        {
            root = JsonNode.Parse(File.ReadAllText(tokenizerConfigPath)) as JsonObject
                ?? throw new TokenizerException($"{tokenizerConfigPath}: expected a JSON object");
        }
        catch (JsonException ex)
        {
            throw new TokenizerException($"{tokenizerConfigPath}: not valid JSON ({ex.Message})", ex);
        }
        var template = root["chat_template"] switch
        {
            JsonValue v when v.TryGetValue<string>(out var s) => s,
            JsonArray named => named.OfType<JsonObject>().FirstOrDefault(t => (string?)t["name"] == "default")?["template"]?.GetValue<string>(),
            _ => null,
        } ?? throw new TokenizerException($"{tokenizerConfigPath}: no chat_template");
        return new CheckpointChatTemplate(template, TokenText(root["bos_token"]), TokenText(root["eos_token"]));
    }

    /// <summary>
    /// The chat template of the checkpoint folder <paramref name="folder"/> (its tokenizer_config.json), or null when the
    /// folder has no tokenizer_config.json or the file has no <c>chat_template</c> (a base model's checkpoint often has none).
    /// </summary>
    /// <exception cref="TokenizerException">The file is not valid JSON.</exception>
    /// <exception cref="JinjaException">The template does not parse: a broken template is an error, not an absent one.</exception>
    public static CheckpointChatTemplate? LoadFromFolder(string folder)
    {
        ArgumentNullException.ThrowIfNull(folder);
        var path = Path.Combine(folder, "tokenizer_config.json");
        if (!File.Exists(path)) return null;
        try
        {
            var root = JsonNode.Parse(File.ReadAllText(path)) as JsonObject;
            if (root?["chat_template"] is null) return null;
        }
        catch (JsonException ex)
        {
            throw new TokenizerException($"{path}: not valid JSON ({ex.Message})", ex);
        }
        return Load(path);
    }

    // Configs write a token either as a string or as {"content": "...", ...}.
    private static string? TokenText(JsonNode? node) => node switch
    {
        JsonValue v when v.TryGetValue<string>(out var s) => s,
        JsonObject o => (string?)o["content"],
        _ => null,
    };

    /// <summary>
    /// Renders <paramref name="messages"/> with the variables transformers passes: <c>messages</c> (role and
    /// content), <c>add_generation_prompt</c>, <c>bos_token</c>, <c>eos_token</c>; no tools or documents.
    /// </summary>
    /// <exception cref="JinjaException">The template rejects the conversation (its <c>raise_exception</c>) or fails.</exception>
    public string Render(IReadOnlyList<ChatTurn> messages, bool addGenerationPrompt)
    {
        ArgumentNullException.ThrowIfNull(messages);
        var list = messages.Select(m => (object?)new JinjaDict { ["role"] = m.Role, ["content"] = m.Content }).ToList();
        return _template.Render(new Dictionary<string, object?>
        {
            ["messages"] = list,
            ["add_generation_prompt"] = addGenerationPrompt,
            ["bos_token"] = BosToken,
            ["eos_token"] = EosToken,
        });
    }
}
