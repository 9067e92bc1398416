using System.Globalization;
using System.Text;
using System.Text.Json;
using Infra.Core.IO;

namespace Infra.Cli.Lab;

/// <summary>Writes a <see cref="BuildSummary"/> as accuracy.json (for tools) and accuracy.md (for people).</summary>
internal static class AccuracyFiles
{
    /// <summary>Format of accuracy.json: 2, the project's spelling (snake_case keys); format 1 had camelCase keys and no version.</summary>
    public const int FormatVersion = 2;

    /// <summary>Writes both files into <paramref name="folder"/>.</summary>
    public static void Write(BuildSummary summary, string folder)
    {
        File.WriteAllText(Path.Combine(folder, DefaultModelFiles.AccuracyJson), Json(summary));
        File.WriteAllText(Path.Combine(folder, DefaultModelFiles.AccuracyMarkdown), Markdown(summary));
    }

    private static string Json(BuildSummary s)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true, NewLine = "\n" }))
        {
            json.WriteStartObject();
            json.WriteNumber(ProjectJson.FormatVersionKey, FormatVersion);
            json.WriteNumber("seed", s.Seed);
            json.WriteBoolean("quick", s.Quick);
            json.WriteStartObject("corpus");
            json.WriteNumber("train", s.TrainExamples);
            json.WriteNumber("heldout", s.HeldOutExamples);
            json.WriteNumber("max_tokens", s.Recipe.MaxTokens);
            json.WriteEndObject();
            json.WriteStartObject("model");
            json.WriteNumber("vocab_size", s.TokenizerVocabSize);
            json.WriteNumber("hidden_size", s.Recipe.HiddenSize);
            json.WriteNumber("layers", s.Recipe.Layers);
            json.WriteNumber("parameters", s.Parameters);
            json.WriteNumber("bytes", s.ModelBytes);
            json.WriteString("dtype", "bfloat16");
            json.WriteEndObject();
            json.WriteStartObject("training");
            json.WriteNumber("steps", s.Steps);
            json.WriteNumber("epochs", s.Recipe.Epochs);
            json.WriteNumber("batch_size", s.Recipe.BatchSize);
            json.WriteNumber("learning_rate", s.Recipe.LearningRate);
            json.WriteNumber("first_loss", Math.Round(s.FirstLoss, 4));
            json.WriteNumber("final_loss", Math.Round(s.FinalLoss, 4));
            json.WriteNumber("seconds", Math.Round(s.TrainingSeconds, 1));
            json.WriteNumber("tokens_per_second", Math.Round(s.TokensPerSecond));
            json.WriteEndObject();
            json.WriteStartObject("evaluation");
            json.WriteString("split", "heldout");
            json.WriteNumber("items", s.Evaluation.Items.Count);
            json.WriteNumber("correct", s.Evaluation.Items.Count(i => i.Correct));
            json.WriteNumber("accuracy", Math.Round(s.Evaluation.Accuracy, 4));
            json.WriteNumber("max_new_tokens", s.MaxNewTokens);
            json.WriteNumber("seconds", Math.Round(s.EvaluationSeconds, 1));
            json.WriteStartArray("cells");
            foreach (var cell in s.Evaluation.Table)
            {
                json.WriteStartObject();
                json.WriteString("domain", cell.Domain);
                json.WriteNumber("difficulty", cell.Difficulty);
                json.WriteNumber("items", cell.Items);
                json.WriteNumber("correct", cell.Correct);
                json.WriteNumber("accuracy", Math.Round(cell.Accuracy, 4));
                json.WriteEndObject();
            }
            json.WriteEndArray();
            json.WriteEndObject();
            json.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.ToArray()) + "\n";
    }

    private static string Markdown(BuildSummary s)
    {
        var md = new StringBuilder();
        var ic = CultureInfo.InvariantCulture;
        md.AppendLine("# Held-out accuracy of the default model").AppendLine();
        md.AppendLine("Greedy decoding, checked with `AnswerChecker` (math by value, code by exact output or by running the hidden tests).").AppendLine();
        md.AppendLine("| difficulty | math | code |").AppendLine("|---:|---:|---:|");
        for (var difficulty = 1; difficulty <= 5; difficulty++)
        {
            var d = difficulty;
            string Cell(string domain) => s.Evaluation.Table.FirstOrDefault(c => c.Domain == domain && c.Difficulty == d) is { } c
                ? string.Create(ic, $"{c.Correct}/{c.Items} ({c.Accuracy:P0})")
                : "-";
            md.AppendLine(ic, $"| {difficulty} | {Cell("math")} | {Cell("code")} |");
        }
        md.AppendLine(ic, $"| all | {Total(s, "math")} | {Total(s, "code")} |").AppendLine();
        md.AppendLine(ic, $"Overall: {s.Evaluation.Items.Count(i => i.Correct)}/{s.Evaluation.Items.Count} ({s.Evaluation.Accuracy:P1}).").AppendLine();
        md.AppendLine(ic, $"- seed {s.Seed}{(s.Quick ? " (quick build)" : "")}; corpus {s.TrainExamples} train / {s.HeldOutExamples} held-out, rendered length <= {s.Recipe.MaxTokens} tokens");
        md.AppendLine(ic, $"- model: Qwen2, hidden {s.Recipe.HiddenSize}, {s.Recipe.Layers} layers, 4 heads / 2 KV heads, MLP {4 * s.Recipe.HiddenSize}, tied embeddings, vocab {s.TokenizerVocabSize}; {s.Parameters:N0} parameters, {s.ModelBytes / 1024.0 / 1024.0:F1} MB in bf16");
        md.AppendLine(ic, $"- training: {s.Steps} steps ({s.Recipe.Epochs} epochs, batch {s.Recipe.BatchSize}, peak lr {s.Recipe.LearningRate:G3}), loss {s.FirstLoss:F3} -> {s.FinalLoss:F3}, {s.TrainingSeconds / 60:F1} min at {s.TokensPerSecond:F0} tokens/s");
        md.AppendLine(ic, $"- evaluation: {s.EvaluationSeconds:F0} s, at most {s.MaxNewTokens} new tokens per problem");
        return md.ToString();
    }

    private static string Total(BuildSummary s, string domain)
    {
        var items = s.Evaluation.Items.Where(i => i.Domain == domain).ToList();
        var correct = items.Count(i => i.Correct);
        return items.Count == 0 ? "-" : string.Create(CultureInfo.InvariantCulture, $"{correct}/{items.Count} ({(double)correct / items.Count:P0})");
    }
}
