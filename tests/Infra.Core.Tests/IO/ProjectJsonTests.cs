using System.Text.Json;
using System.Text.Json.Nodes;
using Infra.Core.Compression;
using Infra.Core.IO;

namespace Infra.Core.Tests.IO;

/// <summary>The project's one JSON spelling: format_version first, snake_case keys, lower-case enum words, per-layer arrays; a file without a version reads as format 1.</summary>
public sealed class ProjectJsonTests
{
    private sealed record Sample(string ModelName, FactorDType StoreDtype, IReadOnlyList<double> LayerDamping, double Mean);

    private static readonly JsonSerializerOptions PascalCase = new() { Converters = { new System.Text.Json.Serialization.JsonStringEnumConverter() } };

    [Fact]
    public void A_file_is_snake_case_with_lower_case_enums_and_its_format_version_first()
    {
        var json = ProjectJson.Serialize(new Sample("tiny", FactorDType.BFloat16, [0.1, 0.2], double.NaN), formatVersion: 3);
        var root = JsonNode.Parse(json)!.AsObject();
        Assert.Equal(["format_version", "model_name", "store_dtype", "layer_damping", "mean"], root.Select(p => p.Key).ToArray());
        Assert.Equal(3, (int)root["format_version"]!);
        Assert.Equal("bfloat16", (string)root["store_dtype"]!);
        Assert.Equal(2, root["layer_damping"]!.AsArray().Count);
        Assert.Equal("NaN", (string)root["mean"]!);
        var back = ProjectJson.Deserialize<Sample>(json, 3, PascalCase, "sample.json")!;
        Assert.Equal(("tiny", FactorDType.BFloat16, 0.2), (back.ModelName, back.StoreDtype, back.LayerDamping[1]));
    }

    [Fact]
    public void A_file_without_a_version_reads_as_format_1_through_the_options_that_wrote_it()
    {
        const string formatOne = """{ "ModelName": "tiny", "StoreDtype": "Float16", "LayerDamping": [0.5], "Mean": 1.5 }""";
        var read = ProjectJson.Deserialize<Sample>(formatOne, 2, PascalCase, "old.json")!;
        Assert.Equal(("tiny", FactorDType.Float16, 0.5, 1.5), (read.ModelName, read.StoreDtype, read.LayerDamping[0], read.Mean));
    }

    [Fact]
    public void A_version_this_build_does_not_know_is_refused_naming_the_file()
    {
        var error = Assert.Throws<JsonException>(() => ProjectJson.Deserialize<Sample>("""{ "format_version": 9 }""", 2, PascalCase, "future.json"));
        Assert.Contains("future.json: format version 9", error.Message, StringComparison.Ordinal);
        Assert.Throws<JsonException>(() => ProjectJson.Deserialize<Sample>("[1, 2]", 2, PascalCase, "list.json"));
    }
}
