using System.Text.Json.Serialization;

namespace Infra.Validation.Fidelity;

/// <summary>A mean with the smallest and largest of the values it is over (e.g. one value per projection seed).</summary>
public sealed record Spread(
    [property: JsonPropertyName("mean")] double Mean,
    [property: JsonPropertyName("min")] double Min,
    [property: JsonPropertyName("max")] double Max,
    [property: JsonPropertyName("count")] int Count)
{
    /// <summary>The spread of <paramref name="values"/>; all NaN when empty.</summary>
    public static Spread Of(IReadOnlyList<double> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        return values.Count == 0
            ? new Spread(double.NaN, double.NaN, double.NaN, 0)
            : new Spread(values.Average(), values.Min(), values.Max(), values.Count);
    }
}
