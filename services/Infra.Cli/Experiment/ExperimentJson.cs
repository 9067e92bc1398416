using System.Text.Json;
using System.Text.Json.Serialization;

namespace Infra.Cli.Experiment;

/// <summary>How the experiment's JSON files are written: indented, camelCase, NaN allowed (a cell with no query has no mean).</summary>
internal static class ExperimentJson
{
    public static JsonSerializerOptions Options { get; } = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };
}
