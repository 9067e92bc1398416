using Infra.Core.Text;
using Infra.Core.Text.Jinja;
using Xunit.Abstractions;

namespace Infra.Core.Tests.Text.ChatTemplates;

/// <summary>
/// Our Jinja renderer against the reference (@huggingface/jinja under node): real checkpoints' chat templates over
/// <see cref="ChatConversations"/> with and without the generation prompt, and small templates that exercise each
/// feature. Texts must be equal byte for byte; where the reference raises, we must raise too.
/// </summary>
public sealed class ChatTemplateParityTests(ITestOutputHelper output)
{
    private static readonly bool[] GenerationPrompt = [false, true];

    [Fact]
    public void Real_chat_templates_render_every_conversation_as_the_reference_does()
    {
        var templates = ChatTemplateFiles.All();
        var jobs = (from template in templates
                    from conversation in ChatConversations.All
                    from generationPrompt in GenerationPrompt
                    select new HfJinjaReference.Job(template, conversation, generationPrompt)).ToList();
        var expected = HfJinjaReference.Render(jobs);

        var mismatches = new List<string>();
        var parsed = templates.ToDictionary(t => t.Name, t => JinjaTemplate.Parse(t.Source));
        for (var i = 0; i < jobs.Count; i++)
        {
            var job = jobs[i];
            var (text, error) = RenderOurs(parsed[job.Template.Name], job);
            if (text != expected[i].Text || (error is null) != (expected[i].Error is null))
            {
                mismatches.Add($"{job.Template.Name}, conversation {i / 2 % ChatConversations.All.Count}, generation prompt {job.AddGenerationPrompt}:\n" +
                    $"  reference: {Describe(expected[i].Text, expected[i].Error)}\n  ours:      {Describe(text, error)}");
            }
        }
        Assert.True(mismatches.Count == 0, $"{mismatches.Count} of {jobs.Count} renders differ:\n{string.Join("\n", mismatches.Take(10))}");

        // The comparison means something only if the templates render most conversations (a template that rejected
        // them all would compare errors only), and only across the model families the issue names.
        Assert.True(templates.Count >= 11, $"{templates.Count} templates fetched");
        foreach (var template in templates)
        {
            var rendered = Enumerable.Range(0, jobs.Count).Count(i => jobs[i].Template == template && expected[i].Text is not null);
            output.WriteLine($"{template.Name}: {rendered} of {2 * ChatConversations.All.Count} rendered, the rest raised on both sides");
            Assert.True(rendered >= 30, $"{template.Name}: only {rendered} of {2 * ChatConversations.All.Count} renders succeed");
        }
    }

    [Fact]
    public void Feature_templates_render_as_the_reference_does()
    {
        var template = new CheckpointTemplate("features", "", "<s>", "</s>");
        var jobs = JinjaFeatureTemplates.All
            .Select(source => new HfJinjaReference.Job(template with { Source = source }, ChatConversations.All[3], true))
            .ToList();
        var expected = HfJinjaReference.Render(jobs);

        var mismatches = new List<string>();
        for (var i = 0; i < jobs.Count; i++)
        {
            var (text, error) = RenderOurs(Parse(jobs[i].Template.Source, out var parseError), jobs[i], parseError);
            if (text != expected[i].Text || (error is null) != (expected[i].Error is null))
            {
                mismatches.Add($"template {i} {jobs[i].Template.Source}\n  reference: {Describe(expected[i].Text, expected[i].Error)}\n  ours:      {Describe(text, error)}");
            }
        }
        Assert.True(mismatches.Count == 0, $"{mismatches.Count} of {jobs.Count} differ:\n{string.Join("\n", mismatches)}");
        Assert.True(expected.Count(e => e.Text is not null) >= jobs.Count - 8, "most feature templates should render, not raise");
    }

    private static JinjaTemplate? Parse(string source, out string? error)
    {
        try
        {
            error = null;
            return JinjaTemplate.Parse(source);
        }
        catch (JinjaException e)
        {
            error = e.Message;
            return null;
        }
    }

    private static (string? Text, string? Error) RenderOurs(JinjaTemplate? template, HfJinjaReference.Job job, string? parseError = null)
    {
        if (template is null) return (null, parseError);
        try
        {
            var variables = new Dictionary<string, object?>
            {
                ["messages"] = job.Messages.Select(m => new Dictionary<string, object?> { ["role"] = m.Role, ["content"] = m.Content }).ToList(),
                ["add_generation_prompt"] = job.AddGenerationPrompt,
                ["bos_token"] = job.Template.BosToken,
                ["eos_token"] = job.Template.EosToken,
                ["date_string"] = HfJinjaReference.DateString,
            };
            return (template.Render(variables), null);
        }
        catch (JinjaException e)
        {
            return (null, e.Message);
        }
    }

    private static string Describe(string? text, string? error) =>
        error is not null ? $"error: {error}" : System.Text.Json.JsonSerializer.Serialize(text);
}
