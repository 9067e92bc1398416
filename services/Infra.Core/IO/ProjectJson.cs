using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace Infra.Core.IO;

/// <summary>
/// How every JSON file the project writes is spelled: snake_case keys, enums as one lower-case word ("bfloat16",
/// "ekfac", "qwen25"), NaN and the infinities as named literals, indented, and a <c>format_version</c> as the first key.
/// A file written before it carried a version reads as format 1 (through the options that wrote it).
/// Model and tokenizer files in Hugging Face's formats (config.json, tokenizer.json) keep those formats.
/// </summary>
public static class ProjectJson
{
    /// <summary>The key that carries a file's format version.</summary>
    public const string FormatVersionKey = "format_version";

    /// <summary>Enum members as one lower-case word, as the wire and the CLI spell them ("bfloat16", not "b_float16").</summary>
    public static JsonNamingPolicy LowerCase { get; } = new LowerCaseNamingPolicy();

    /// <summary>The options every project JSON file is written and read with.</summary>
    public static JsonSerializerOptions Options { get; } = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
        Converters = { new JsonStringEnumConverter(LowerCase) },
    };

    /// <summary>As <see cref="Options"/>, one value per line (JSON Lines files carry no version of their own).</summary>
    public static JsonSerializerOptions Lines { get; } = new(Options) { WriteIndented = false };

    /// <summary><paramref name="value"/> as an object with <c>format_version</c> = <paramref name="formatVersion"/> first.</summary>
    /// <exception cref="ArgumentException"><paramref name="value"/> does not serialise to a JSON object.</exception>
    public static string Serialize<T>(T value, int formatVersion, JsonSerializerOptions? options = null)
    {
        options ??= Options;
        if (JsonSerializer.SerializeToNode(value, options) is not JsonObject body)
            throw new ArgumentException($"{typeof(T).Name} does not serialise to a JSON object", nameof(value));
        var document = new JsonObject { [FormatVersionKey] = formatVersion };
        foreach (var (key, node) in body.ToList())
        {
            if (key == FormatVersionKey) continue;
            body.Remove(key);
            document[key] = node;
        }
        return document.ToJsonString(options);
    }

    /// <summary>The format version of a parsed file: 1 when it has none (the files written before versions), 0 when it is not an integer.</summary>
    public static int FormatVersion(JsonObject document)
    {
        ArgumentNullException.ThrowIfNull(document);
        return document[FormatVersionKey] switch
        {
            null => 1,
            JsonValue v when v.TryGetValue<int>(out var n) => n,
            _ => 0,
        };
    }

    /// <summary>
    /// Reads the text of a versioned file: format <paramref name="currentVersion"/> with <see cref="Options"/> (or
    /// <paramref name="options"/>); a file without a version with <paramref name="formatOne"/>, the options format 1 was
    /// written with.
    /// </summary>
    /// <exception cref="JsonException">Not a JSON object, bad JSON, or a format this build does not read; the message names <paramref name="source"/>.</exception>
    public static T? Deserialize<T>(string json, int currentVersion, JsonSerializerOptions formatOne, string source, JsonSerializerOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(formatOne);
        JsonNode? root;
        try
        {
            root = JsonNode.Parse(json);
        }
        catch (JsonException ex)
        {
            throw new JsonException($"{source} is not valid JSON: {ex.Message}", ex);
        }
        if (root is not JsonObject document) throw new JsonException($"{source} is not a JSON object");
        var version = FormatVersion(document);
        if (version == 1 && currentVersion != 1 && document[FormatVersionKey] is null) return document.Deserialize<T>(formatOne);
        if (version != currentVersion)
            throw new JsonException($"{source}: format version {version}, this build reads {currentVersion} (and a file without a version as 1)");
        return document.Deserialize<T>(options ?? Options);
    }

    private sealed class LowerCaseNamingPolicy : JsonNamingPolicy
    {
        public override string ConvertName(string name) => name.ToLowerInvariant();
    }
}
