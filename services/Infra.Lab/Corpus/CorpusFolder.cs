using System.Text.Json;
using Infra.Lab.Schema;

using Infra.Corpus;

namespace Infra.Lab.Corpus;

/// <summary>Writes a built corpus as JSONL files plus a manifest (seed, counts per split x domain x difficulty, generator version).</summary>
public static class CorpusFolder
{
    /// <summary>Writes <paramref name="corpus"/> into <paramref name="folder"/> (created if missing; files replaced).</summary>
    public static void Write(BuiltCorpus corpus, string folder)
    {
        ArgumentNullException.ThrowIfNull(corpus);
        Directory.CreateDirectory(folder);
        CorpusWriter.WriteFile(Path.Combine(folder, CorpusFiles.Train), corpus.Train.Select(LabRecords.ToRecord));
        CorpusWriter.WriteFile(Path.Combine(folder, CorpusFiles.HeldOut), corpus.HeldOut.Select(LabRecords.ToRecord));
        CorpusWriter.WriteFile(Path.Combine(folder, CorpusFiles.MathQueries), corpus.MathQueries.Select(LabRecords.ToRecord));
        CorpusWriter.WriteFile(Path.Combine(folder, CorpusFiles.CodeQueries), corpus.CodeQueries.Select(LabRecords.ToRecord));
        using var stream = new FileStream(Path.Combine(folder, CorpusFiles.Manifest), FileMode.Create, FileAccess.Write, FileShare.None);
        // "\n" line ends whatever the OS, so the manifest is byte-identical everywhere.
        using var json = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true, NewLine = "\n" });
        json.WriteStartObject();
        // snake_case with a format_version, as every JSON file the project writes (format 1 was camelCase, unversioned).
        json.WriteNumber(Core.IO.ProjectJson.FormatVersionKey, 2);
        json.WriteString("generator", CorpusFiles.GeneratorVersion);
        json.WriteNumber("seed", corpus.Options.Seed);
        json.WriteNumber("exploration_share", corpus.Options.ExplorationShare);
        json.WriteNumber("math_share", corpus.Options.MathShare);
        json.WriteStartObject("files");
        json.WriteString("train", CorpusFiles.Train);
        json.WriteString("heldout", CorpusFiles.HeldOut);
        json.WriteString("queries_math", CorpusFiles.MathQueries);
        json.WriteString("queries_code", CorpusFiles.CodeQueries);
        json.WriteEndObject();
        json.WriteStartObject("counts");
        Counts(json, "train", corpus.Train);
        Counts(json, "heldout", corpus.HeldOut);
        Counts(json, "queries_math", corpus.MathQueries);
        Counts(json, "queries_code", corpus.CodeQueries);
        json.WriteEndObject();
        json.WriteEndObject();
        json.Flush();
        stream.WriteByte((byte)'\n');
    }

    private static void Counts(Utf8JsonWriter json, string name, IReadOnlyList<LabExample> examples)
    {
        json.WriteStartObject(name);
        json.WriteNumber("total", examples.Count);
        foreach (var (domain, word) in new[] { (ReasoningDomain.Math, CorpusFields.Math), (ReasoningDomain.Code, CorpusFields.Code) })
        {
            json.WriteStartObject(word);
            for (var difficulty = 1; difficulty <= 5; difficulty++)
            {
                json.WriteNumber(difficulty.ToString(System.Globalization.CultureInfo.InvariantCulture), examples.Count(e => e.Domain == domain && e.Difficulty == difficulty));
            }
            json.WriteEndObject();
        }
        json.WriteEndObject();
    }
}
