using System.Text.RegularExpressions;
using Infra.Torch.Model;

namespace Infra.Torch.Gradients;

/// <summary>
/// Which linear layers are tracked: a regular expression over HF module names and an optional
/// decoder-layer range. Defaults to every MLP gate/up/down projection of every layer (the paper's choice).
/// </summary>
public sealed record LayerSelection
{
    /// <summary>The default pattern: <c>\.mlp\.(gate|up|down)_proj$</c>.</summary>
    public const string DefaultPattern = @"\.mlp\.(gate|up|down)_proj$";

    /// <summary>Regex matched against names like "model.layers.3.mlp.up_proj". Defaults to <see cref="DefaultPattern"/>.</summary>
    public string Pattern { get; init; } = DefaultPattern;

    /// <summary>First decoder layer tracked (inclusive). Defaults to 0.</summary>
    public int FirstLayer { get; init; }

    /// <summary>Last decoder layer tracked (inclusive); null = the last layer. Defaults to null.</summary>
    public int? LastLayer { get; init; }

    /// <summary>The tracked layers of <paramref name="model"/>, indexed 0.. in model order.</summary>
    /// <exception cref="ArgumentException">Bad pattern or range, or nothing selected.</exception>
    public IReadOnlyList<TrackedLayer> Select(Qwen2ForCausalLM model)
    {
        ArgumentNullException.ThrowIfNull(model);
        Regex regex;
        try
        {
            regex = new Regex(Pattern, RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1));
        }
        catch (ArgumentException ex)
        {
            throw new ArgumentException($"layer pattern '{Pattern}' is not a valid regular expression: {ex.Message}", ex);
        }
        var last = LastLayer ?? model.Config.NumHiddenLayers - 1;
        if (FirstLayer < 0 || last >= model.Config.NumHiddenLayers || FirstLayer > last)
            throw new ArgumentException(
                $"layer range {FirstLayer}..{last} is outside the model's 0..{model.Config.NumHiddenLayers - 1}");
        var selected = model.LinearLayers()
            .Where(l => regex.IsMatch(l.Name) && InRange(l.Name, FirstLayer, last))
            .Select((l, i) => new TrackedLayer(i, l.Name, l.DIn, l.DOut))
            .ToList();
        if (selected.Count == 0)
            throw new ArgumentException($"layer pattern '{Pattern}' with range {FirstLayer}..{last} selects no layer");
        return selected;
    }

    private static bool InRange(string name, int first, int last)
    {
        // "model.layers.{i}.…"
        var parts = name.Split('.');
        var layer = int.Parse(parts[2], System.Globalization.CultureInfo.InvariantCulture);
        return layer >= first && layer <= last;
    }
}
