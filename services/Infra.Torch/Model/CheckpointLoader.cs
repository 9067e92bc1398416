using Infra.Core.Checkpoints;
using static TorchSharp.torch;

namespace Infra.Torch.Model;

/// <summary>Builds a <see cref="Qwen2ForCausalLM"/> from a HuggingFace checkpoint folder.</summary>
public static class CheckpointLoader
{
    /// <summary>
    /// Opens <paramref name="folder"/> (config.json + model.safetensors or a sharded index), checks
    /// every tensor name, shape and dtype against the architecture, and loads the weights converted to
    /// <paramref name="dtype"/> on <paramref name="device"/>.
    /// </summary>
    /// <exception cref="CheckpointException">Anything wrong with the folder, listed by file and tensor.</exception>
    public static Qwen2ForCausalLM Load(CheckpointFolder folder, Device device, ScalarType dtype)
    {
        ArgumentNullException.ThrowIfNull(folder);
        Qwen2TensorLayout.Validate(folder);
        var model = new Qwen2ForCausalLM(folder.Config, device, dtype);
        try
        {
            model.LoadParameters(name => folder.TensorNames.Contains(name)
                ? (folder.ReadAsFloat32(name), folder.Info(name).Shape)
                : null);
            model.eval();
            return model;
        }
        catch
        {
            model.Dispose();
            throw;
        }
    }

    /// <summary>Writes <paramref name="model"/> as a HF checkpoint folder (config.json + safetensors).</summary>
    public static void Save(Qwen2ForCausalLM model, string folder, TensorDType dtype = TensorDType.F32, long maxShardBytes = 0)
    {
        ArgumentNullException.ThrowIfNull(model);
        CheckpointWriter.Write(folder, model.Config, model.ExportParameters(), dtype, maxShardBytes);
    }
}
