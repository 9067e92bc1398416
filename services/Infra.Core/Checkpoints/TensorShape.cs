namespace Infra.Core.Checkpoints;

/// <summary>Shape arithmetic and formatting shared by the reader, writer and layout checks.</summary>
internal static class TensorShape
{
    /// <summary>Product of the dimensions (1 for a scalar); throws <see cref="OverflowException"/> past long.</summary>
    public static long ElementCount(ReadOnlySpan<long> shape)
    {
        long count = 1;
        foreach (var d in shape)
            count = checked(count * d);
        return count;
    }

    /// <summary>"[64, 32]", the form PyTorch prints, so messages can be compared with HF's.</summary>
    public static string Format(ReadOnlySpan<long> shape)
    {
        var parts = new string[shape.Length];
        for (var i = 0; i < shape.Length; i++)
            parts[i] = shape[i].ToString(System.Globalization.CultureInfo.InvariantCulture);
        return "[" + string.Join(", ", parts) + "]";
    }
}
