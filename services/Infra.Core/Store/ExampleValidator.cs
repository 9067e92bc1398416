namespace Infra.Core.Store;

/// <summary>Checks an incoming example against the store's schema before anything is written.</summary>
public static class ExampleValidator
{
    /// <exception cref="StoreException">Names the example, the layer, and both dims — or the first non-finite value.</exception>
    public static void Validate(StoreExample example, StoreSchema schema)
    {
        ArgumentNullException.ThrowIfNull(example);
        ArgumentNullException.ThrowIfNull(schema);
        var id = example.Id;
        if (string.IsNullOrWhiteSpace(id)) throw new StoreException("an example has no id");
        var tokens = example.TokenIds.Length;
        if (tokens == 0) throw new StoreException($"example '{id}': has no tokens");
        if (example.LossMask.Length != tokens)
            throw new StoreException($"example '{id}': loss mask has {example.LossMask.Length} entries for {tokens} tokens");
        if (!float.IsFinite(example.Loss)) throw new StoreException($"example '{id}': its loss is {example.Loss.ToString(System.Globalization.CultureInfo.InvariantCulture)}, not a finite number");
        var badLoss = Array.FindIndex(example.TokenLosses, v => !float.IsFinite(v));
        if (badLoss >= 0) throw new StoreException($"example '{id}': the loss of token {badLoss} is {example.TokenLosses[badLoss].ToString(System.Globalization.CultureInfo.InvariantCulture)}, not a finite number");
        if (example.ExampleGradients.Count != schema.Layers.Count)
            throw new StoreException($"example '{id}': {example.ExampleGradients.Count} layer gradients, the store tracks {schema.Layers.Count} layers");
        for (var l = 0; l < schema.Layers.Count; l++)
        {
            var layer = schema.Layers[l];
            Check(id, layer, "example gradient", example.ExampleGradients[l], layer.KOut, layer.KIn);
            if (!schema.TokenFactors) continue;
            if (example.TokenInputs is null || example.TokenOutputGradients is null)
                throw new StoreException($"example '{id}': the store keeps per-token factors and the example has none");
            Check(id, layer, "token inputs", example.TokenInputs[l], tokens, layer.KIn);
            Check(id, layer, "token output gradients", example.TokenOutputGradients[l], tokens, layer.KOut);
        }
    }

    private static void Check(string id, StoreLayer layer, string what, float[] values, int rows, int cols)
    {
        if (values.Length != (long)rows * cols)
            throw new StoreException(
                $"example '{id}', layer {layer.Name}: {what} has {values.Length} values, expected {rows} x {cols} = {(long)rows * cols}");
        var bad = Array.FindIndex(values, v => !float.IsFinite(v));
        if (bad >= 0)
            throw new StoreException($"example '{id}', layer {layer.Name}: {what} has a non-finite value ({values[bad]}) at row {bad / cols}, column {bad % cols}");
    }
}
