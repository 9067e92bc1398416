using System.Globalization;
using System.Text.RegularExpressions;

namespace Infra.Core.Checkpoints;

/// <summary>The file names HF uses inside a checkpoint folder.</summary>
public static partial class CheckpointFileNames
{
    /// <summary>"config.json".</summary>
    public const string Config = "config.json";

    /// <summary>"model.safetensors": all weights in one file.</summary>
    public const string SingleWeights = "model.safetensors";

    /// <summary>"model.safetensors.index.json": maps each tensor to its shard.</summary>
    public const string Index = "model.safetensors.index.json";

    /// <summary>"model-00001-of-00003.safetensors" for <paramref name="index"/> 1 of 3 (1-based).</summary>
    public static string Shard(int index, int count) =>
        string.Create(CultureInfo.InvariantCulture, $"model-{index:D5}-of-{count:D5}.safetensors");

    /// <summary>True for names of the form <see cref="Shard"/> produces.</summary>
    public static bool IsShard(string fileName) => ShardPattern().IsMatch(fileName);

    [GeneratedRegex(@"^model-\d{5}-of-\d{5}\.safetensors$")]
    private static partial Regex ShardPattern();
}
