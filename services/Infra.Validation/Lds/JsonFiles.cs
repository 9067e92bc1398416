using System.Text.Json;
using System.Text.Json.Serialization;
using Infra.Core.IO;

namespace Infra.Validation.Lds;

/// <summary>JSON in the run folder: indented, enums as names, written atomically (temp file, flush, rename) so a killed run never leaves half a file.</summary>
internal static class JsonFiles
{
    public static readonly JsonSerializerOptions Options = new()
    {
        WriteIndented = true,
        Converters = { new JsonStringEnumConverter() },
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    public static void Write<T>(string path, T value) => WriteText(path, JsonSerializer.Serialize(value, Options));

    public static void WriteText(string path, string text) => AtomicFile.WriteText(path, text);

    public static T? Read<T>(string path) => File.Exists(path) ? JsonSerializer.Deserialize<T>(File.ReadAllText(path), Options) : default;
}
