namespace Infra.Bench.Ekfac;

/// <summary>
/// <c>ekfac-scale [--layers 2] [--examples 4] [--tokens 64] [--storage float64|float32] [--work DIR] [--out bench/results]</c>.
/// </summary>
internal sealed record EkfacScaleArguments
{
    public const string Usage =
        "usage: Infra.Bench ekfac-scale [--layers 2] [--examples 4] [--tokens 64] [--storage float64|float32] [--work DIR] [--out bench/results]";

    /// <summary>Decoder layers of the Qwen2.5-1.5B-shaped model (all other dimensions real). Defaults to 2.</summary>
    public int Layers { get; init; } = 2;

    /// <summary>Fitting examples. Defaults to 4.</summary>
    public int Examples { get; init; } = 4;

    /// <summary>Tokens per example (loss on the second half). Defaults to 64.</summary>
    public int Tokens { get; init; } = 64;

    /// <summary>How the factors are stored. Defaults to float64.</summary>
    public Infra.Torch.Ekfac.EkfacStorageType Storage { get; init; } = Infra.Torch.Ekfac.EkfacStorageType.Float64;

    /// <summary>Where the checkpoint, spool and factors go (deleted afterwards). Defaults to a new folder under the system temp folder.</summary>
    public string? WorkFolder { get; init; }

    /// <summary>Where <c>ekfac-scale.md</c> is written. Defaults to bench/results.</summary>
    public string OutputFolder { get; init; } = BenchArguments.DefaultOutputFolder;

    public static bool TryParse(string[] args, out EkfacScaleArguments arguments, out string error)
    {
        arguments = new EkfacScaleArguments();
        error = "";
        for (var i = 0; i < args.Length; i++)
        {
            var value = i + 1 < args.Length ? args[i + 1] : null;
            switch (args[i])
            {
                case "--layers" when int.TryParse(value, out var layers) && layers > 0:
                    arguments = arguments with { Layers = layers };
                    break;
                case "--examples" when int.TryParse(value, out var examples) && examples > 0:
                    arguments = arguments with { Examples = examples };
                    break;
                case "--tokens" when int.TryParse(value, out var tokens) && tokens > 1:
                    arguments = arguments with { Tokens = tokens };
                    break;
                case "--storage" when value is "float64" or "float32":
                    arguments = arguments with { Storage = value == "float32" ? Infra.Torch.Ekfac.EkfacStorageType.Float32 : Infra.Torch.Ekfac.EkfacStorageType.Float64 };
                    break;
                case "--work" when value is not null:
                    arguments = arguments with { WorkFolder = value };
                    break;
                case "--out" when value is not null:
                    arguments = arguments with { OutputFolder = value };
                    break;
                default:
                    error = $"unknown or incomplete argument '{args[i]}'";
                    return false;
            }
            i++;
        }
        return true;
    }
}
