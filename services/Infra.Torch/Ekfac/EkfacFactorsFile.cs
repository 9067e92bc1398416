using System.Text.Json.Serialization;

namespace Infra.Torch.Ekfac;

/// <summary>One tensor file of a format-3 factors folder and the layers whose factors it holds.</summary>
public sealed record EkfacFactorsFile
{
    /// <summary>The file's name inside the factors folder, e.g. "factors-3f2a9c1d-000.safetensors".</summary>
    [JsonPropertyName("file")] public required string File { get; init; }

    /// <summary>The layers it holds, in layer order.</summary>
    [JsonPropertyName("layers")] public required IReadOnlyList<string> Layers { get; init; }
}
