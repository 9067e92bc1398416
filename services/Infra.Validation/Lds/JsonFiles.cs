using System.Text.Json;
using System.Text.Json.Serialization;
using Infra.Core.IO;

namespace Infra.Validation.Lds;

/// <summary>
/// JSON in the run folder, written atomically (temp file, flush, rename) so a killed run never leaves half a file: the
/// project's spelling (<see cref="ProjectJson"/>: snake_case, lower-case enum words, NaN allowed) with <c>format_version</c>
/// 2. Format 1 (no version) used the C# names (PascalCase) and the enums' names; a run folder written in it resumes: its
/// files are read with <see cref="FormatOne"/>.
/// </summary>
internal static class JsonFiles
{
    public const int CurrentVersion = 2;

    public static JsonSerializerOptions Options => ProjectJson.Options;

    /// <summary>How format 1 was written.</summary>
    public static JsonSerializerOptions FormatOne { get; } = new()
    {
        WriteIndented = true,
        Converters = { new JsonStringEnumConverter() },
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    public static string Serialize<T>(T value) => ProjectJson.Serialize(value, CurrentVersion);

    public static void Write<T>(string path, T value) => WriteText(path, Serialize(value));

    public static void WriteText(string path, string text) => AtomicFile.WriteText(path, text);

    /// <summary>The file at <paramref name="path"/> of either format, or default when there is none.</summary>
    /// <exception cref="JsonException">Bad JSON or an unknown format.</exception>
    public static T? Read<T>(string path) =>
        File.Exists(path) ? ProjectJson.Deserialize<T>(File.ReadAllText(path), CurrentVersion, FormatOne, path) : default;
}
