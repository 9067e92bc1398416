using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Serialization;
using Infra.Core.Text;

namespace Infra.Core.Tests.Text.ChatTemplates;

/// <summary>
/// Renders templates with the reference renderer, @huggingface/jinja under node (render-with-hf-jinja.cjs), in one
/// node process for a whole batch. Each result is the rendered text or, when the template raised, the error.
/// </summary>
internal static class HfJinjaReference
{
    /// <summary>A date for templates that print today's date (Llama 3.x), so both sides render the same.</summary>
    public const string DateString = "26 Jul 2024";

    private static readonly JsonSerializerOptions ReadOptions = new() { PropertyNameCaseInsensitive = true };

    public sealed record Job(CheckpointTemplate Template, IReadOnlyList<ChatTurn> Messages, bool AddGenerationPrompt);

    public sealed record Result(string? Text, string? Error);

    public static IReadOnlyList<Result> Render(IReadOnlyList<Job> jobs)
    {
        var jobsPath = Path.GetTempFileName();
        try
        {
            var payload = jobs.Select(j => new JobJson(
                j.Template.Source, j.Template.BosToken, j.Template.EosToken,
                j.Messages.Select(m => new MessageJson(m.Role, m.Content)).ToList(), j.AddGenerationPrompt, DateString)).ToList();
            File.WriteAllText(jobsPath, JsonSerializer.Serialize(payload));
            var script = Path.Combine(QwenTokenizerFolder.RepoRoot(), "tests", "Infra.Core.Tests", "Text", "ChatTemplates", "render-with-hf-jinja.cjs");
            var start = new ProcessStartInfo("node") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            start.ArgumentList.Add(script);
            start.ArgumentList.Add(ChatTemplateFiles.NodeModules);
            start.ArgumentList.Add(jobsPath);
            using var process = Process.Start(start) ?? throw new InvalidOperationException("could not start node");
            var stderr = process.StandardError.ReadToEndAsync();
            var stdout = process.StandardOutput.ReadToEnd();
            process.WaitForExit();
            if (process.ExitCode != 0) throw new InvalidOperationException($"node exited with {process.ExitCode}: {stderr.Result}");
            return JsonSerializer.Deserialize<List<Result>>(stdout, ReadOptions)!;
        }
        finally
        {
            File.Delete(jobsPath);
        }
    }

    private sealed record MessageJson([property: JsonPropertyName("role")] string Role, [property: JsonPropertyName("content")] string Content);

    private sealed record JobJson(
        [property: JsonPropertyName("chat_template")] string ChatTemplate,
        [property: JsonPropertyName("bos_token")] string? BosToken,
        [property: JsonPropertyName("eos_token")] string? EosToken,
        [property: JsonPropertyName("messages")] List<MessageJson> Messages,
        [property: JsonPropertyName("add_generation_prompt")] bool AddGenerationPrompt,
        [property: JsonPropertyName("date_string")] string DateString);
}
