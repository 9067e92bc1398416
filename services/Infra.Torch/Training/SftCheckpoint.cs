using Infra.Core.Checkpoints;
using Infra.Torch.Model;

namespace Infra.Torch.Training;

/// <summary>
/// A training checkpoint: a HF folder (config.json + safetensors, loadable by <see cref="CheckpointLoader"/> and
/// transformers) with the tokenizer files copied in, plus <c>optimizer.safetensors</c> (AdamW's moments, fp32) and
/// <see cref="SftTrainerState.FileName"/> for resuming.
/// </summary>
public static class SftCheckpoint
{
    /// <summary>The optimizer state's file name.</summary>
    public const string OptimizerFileName = "optimizer.safetensors";

    /// <summary>Tokenizer files copied from the source folder when present.</summary>
    public static readonly IReadOnlyList<string> TokenizerFiles =
        ["tokenizer.json", "tokenizer_config.json", "special_tokens_map.json", "vocab.json", "merges.txt", "added_tokens.json", "generation_config.json"];

    /// <summary>Writes everything into <paramref name="folder"/>; the trainer state last, so a folder with it is complete.</summary>
    public static void Write(string folder, Qwen2ForCausalLM model, AdamW optimizer, SftTrainerState state, SftOptions options)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(optimizer);
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(options);
        CheckpointLoader.Save(model, folder, options.CheckpointDType);
        if (options.TokenizerFolder is { } source)
        {
            foreach (var name in TokenizerFiles)
            {
                var from = Path.Combine(source, name);
                if (File.Exists(from)) File.Copy(from, Path.Combine(folder, name), overwrite: true);
            }
        }
        SafetensorsWriter.Write(
            Path.Combine(folder, OptimizerFileName),
            optimizer.ExportState().Select(t => SafetensorsTensor.FromFloat32(t.Name, t.Shape, t.Data, TensorDType.F32)).ToList(),
            new Dictionary<string, string> { ["step"] = optimizer.StepCount.ToString(System.Globalization.CultureInfo.InvariantCulture) });
        state.Write(folder);
    }

    /// <summary>Restores <paramref name="optimizer"/> from a checkpoint folder.</summary>
    public static void LoadOptimizer(string folder, AdamW optimizer, int stepCount)
    {
        ArgumentNullException.ThrowIfNull(optimizer);
        using var file = SafetensorsFile.Open(Path.Combine(folder, OptimizerFileName));
        optimizer.LoadState(file.ReadAsFloat32, stepCount);
    }
}
