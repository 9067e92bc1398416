using System.Text.Json;
using System.Text.Json.Serialization;
using Infra.Core.IO;

namespace Infra.Cli.Experiment;

/// <summary>
/// The experiment's JSON files (config.json, results.json, weights.json, influence.json, each unit's result.json): the
/// project's spelling (<see cref="ProjectJson"/>: snake_case, lower-case enum words, NaN allowed since a cell with no query
/// has no mean) with <c>format_version</c> 2. Format 1 (no version) was camelCase with enums as numbers; a run folder
/// written in it resumes: its files are read with <see cref="FormatOne"/>.
/// </summary>
internal static class ExperimentJson
{
    public const int CurrentVersion = 2;

    public static JsonSerializerOptions Options => ProjectJson.Options;

    /// <summary>How format 1 was written.</summary>
    public static JsonSerializerOptions FormatOne { get; } = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    public static string Serialize<T>(T value) => ProjectJson.Serialize(value, CurrentVersion);

    /// <summary>The file at <paramref name="path"/>, of either format.</summary>
    /// <exception cref="JsonException">Bad JSON or an unknown format.</exception>
    public static T Read<T>(string path) =>
        ProjectJson.Deserialize<T>(File.ReadAllText(path), CurrentVersion, FormatOne, path) ?? throw new JsonException($"{path} is empty");
}
