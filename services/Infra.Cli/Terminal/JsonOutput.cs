using System.Text.Json;
using System.Text.Json.Serialization;

namespace Infra.Cli.Terminal;

/// <summary>How --json documents and score files are written: snake_case names (as the protos), NaN as "NaN", indented.</summary>
internal static class JsonOutput
{
    /// <summary>The serializer options of every JSON the CLI writes.</summary>
    public static readonly JsonSerializerOptions Options = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
        WriteIndented = true,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower) },
    };

    /// <summary>The JSON text of <paramref name="value"/>.</summary>
    public static string Serialize(object value) => JsonSerializer.Serialize(value, value.GetType(), Options);
}
