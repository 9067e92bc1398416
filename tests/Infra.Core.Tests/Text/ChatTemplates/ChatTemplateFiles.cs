using System.Text.Json;

namespace Infra.Core.Tests.Text.ChatTemplates;

/// <summary>
/// The real checkpoints' chat templates and the reference renderer that eng/fetch-chat-templates.sh puts in
/// <c>&lt;repo&gt;/.cache/chat-templates</c>. Missing files fail the test with the command that fetches them.
/// </summary>
internal static class ChatTemplateFiles
{
    public static string Folder
    {
        get
        {
            var folder = Path.Combine(QwenTokenizerFolder.RepoRoot(), ".cache", "chat-templates");
            if (!File.Exists(Path.Combine(folder, "complete")))
                throw new InvalidOperationException($"The chat templates are not in {folder}. Run `bash eng/fetch-chat-templates.sh` from the repository root.");
            return folder;
        }
    }

    public static string NodeModules => Path.Combine(Folder, "node", "node_modules");

    /// <summary>Every fetched template by name (qwen3, llama3_1, mistral_7b_instruct, ...), in name order.</summary>
    public static IReadOnlyList<CheckpointTemplate> All() =>
        Directory.GetFiles(Path.Combine(Folder, "templates"), "*.json")
            .Order(StringComparer.Ordinal)
            .Select(Load)
            .ToList();

    public static CheckpointTemplate Named(string name) => Load(Path.Combine(Folder, "templates", name + ".json"));

    private static CheckpointTemplate Load(string path)
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(path));
        var root = doc.RootElement;
        string? Text(string key) => root.TryGetProperty(key, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
        return new CheckpointTemplate(Path.GetFileNameWithoutExtension(path), Text("chat_template")!, Text("bos_token"), Text("eos_token"));
    }
}

/// <summary>A checkpoint's <c>chat_template</c> with its bos and eos token texts.</summary>
internal sealed record CheckpointTemplate(string Name, string Source, string? BosToken, string? EosToken);
