using System.Text.Json.Nodes;
using Infra.Torch.Ekfac;
using Infra.Torch.Training;

namespace Infra.Torch.Tests;

/// <summary>The trainer state and the EK-FAC factors manifest as written today, and as written before (format 1), open with this code.</summary>
public sealed class FileFormatTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("infra-formats-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    [Fact]
    public void A_trainer_state_without_a_format_version_reads_as_format_1()
    {
        File.WriteAllText(Path.Combine(_root, SftTrainerState.FileName), """
            {
              "step": 4,
              "total_steps": 10,
              "example_count": 12,
              "seed": 3,
              "batch_size": 2,
              "gradient_accumulation_steps": 1
            }
            """);
        Assert.Equal(new SftTrainerState(4, 10, 12, 3, 2, 1), SftTrainerState.Read(_root));
    }

    [Fact]
    public void A_trainer_state_is_written_with_its_format_version_and_reads_back()
    {
        var state = new SftTrainerState(4, 10, 12, 3, 2, 1);
        state.Write(_root);
        var root = JsonNode.Parse(File.ReadAllText(Path.Combine(_root, SftTrainerState.FileName)))!.AsObject();
        Assert.Equal("format_version", root.First().Key);
        Assert.Equal(SftTrainerState.FormatVersion, (int)root["format_version"]!);
        Assert.Equal(10, (int)root["total_steps"]!);
        Assert.Equal(state, SftTrainerState.Read(_root));
    }

    [Fact]
    public void A_format_1_factors_manifest_opens_with_the_chat_format_in_lower_case()
    {
        var store = new EkfacFactorStore(_root);
        Directory.CreateDirectory(store.PathOf("old"));
        File.WriteAllText(Path.Combine(store.PathOf("old"), "factors.json"), """
            {
              "format_version": 1,
              "name": "old",
              "model_fingerprint": "abc",
              "layers": [ "model.layers.0.mlp.down_proj" ],
              "phase": "eigenvalue_correction",
              "covariance_examples": 8,
              "covariance_tokens": 96,
              "lambda_examples": 8,
              "chat_format": "Qwen25",
              "truncate": false,
              "created_utc": "2026-11-30T10:00:00Z"
            }
            """);
        var manifest = store.ReadManifest("old")!;
        // Format 2 is format 1 with the lower-case spelling; both keep every layer in the single factors.safetensors.
        Assert.Equal((2, "qwen25", EkfacFactorsManifest.CorrectedPhase, 96L),
            (manifest.FormatVersion, manifest.ChatFormat, manifest.Phase, manifest.CovarianceTokens));
        Assert.Null(manifest.Files);
        Assert.Equal(EkfacFactorsManifest.SingleFile, manifest.FileOf("model.layers.0.mlp.down_proj"));
        Assert.Equal(EkfacFactorsManifest.Float64, manifest.StorageDType);
    }
}
