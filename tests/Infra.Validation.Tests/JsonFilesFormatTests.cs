using System.Text.Json.Nodes;
using Infra.Validation.Influence;
using Infra.Validation.Lds;

namespace Infra.Validation.Tests;

/// <summary>An LDS run folder's files as written today (format 2: snake_case, lower-case enum words) and before (format 1: C# names, no version) open with this code.</summary>
public sealed class JsonFilesFormatTests : IDisposable
{
    private readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void A_format_1_subset_result_and_scored_projection_open()
    {
        var subset = Path.Combine(_temp.Path, "subset.json");
        File.WriteAllText(subset, """
            {
              "index": 3,
              "data_seed": 7,
              "members": [ 0, 2, 5 ],
              "measurements": [ -1.5, "NaN" ],
              "final_loss": 0.25,
              "seconds": 12.5
            }
            """);
        var result = JsonFiles.Read<SubsetResult>(subset)!;
        Assert.Equal((3, 7, 5, -1.5, 12.5), (result.Index, result.DataSeed, result.Members[2], result.Measurements[0], result.Seconds));
        Assert.True(double.IsNaN(result.Measurements[1]));

        var scored = Path.Combine(_temp.Path, "k8.json");
        File.WriteAllText(scored, """
            {
              "Projection": "k8",
              "Seconds": 2,
              "Scores": {
                "Projection": "k8",
                "ExampleIds": [ "a", "b" ],
                "QueryIds": [ "q" ],
                "Measurements": [ -0.5 ],
                "Scores": { "EkfacFullSpace": [ [ 1, 2 ] ], "Identity": [ [ 3, 4 ] ] }
              }
            }
            """);
        var projection = JsonFiles.Read<ScoredProjection>(scored)!;
        Assert.Equal(("k8", 2.0, "b"), (projection.Projection, projection.Seconds, projection.Scores.ExampleIds[1]));
        Assert.Equal(2.0, projection.Scores.Scores[InfluenceMethod.EkfacFullSpace][0][1]);
        Assert.Equal(3.0, projection.Scores.Scores[InfluenceMethod.Identity][0][0]);
    }

    [Fact]
    public void Format_2_is_snake_case_with_lower_case_enum_words_and_reads_back()
    {
        var path = Path.Combine(_temp.Path, "k8.json");
        var scores = new InfluenceScores("k8", ["a"], ["q"], [-0.5], new Dictionary<InfluenceMethod, double[][]> { [InfluenceMethod.EkfacFullSpace] = [[1.5]] });
        JsonFiles.Write(path, new ScoredProjection("k8", 2, scores));
        var root = JsonNode.Parse(File.ReadAllText(path))!.AsObject();
        Assert.Equal(JsonFiles.CurrentVersion, (int)root["format_version"]!);
        Assert.NotNull(root["scores"]!["example_ids"]);
        Assert.Equal(1.5, (double)root["scores"]!["scores"]!["ekfacfullspace"]![0]![0]!);
        var back = JsonFiles.Read<ScoredProjection>(path)!;
        Assert.Equal(1.5, back.Scores.Scores[InfluenceMethod.EkfacFullSpace][0][0]);
    }
}
