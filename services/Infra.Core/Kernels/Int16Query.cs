namespace Infra.Core.Kernels;

/// <summary>A query quantised to int16 with one symmetric scale: <c>query[i] ≈ Values[i] * Scale</c>.</summary>
internal static class Int16Query
{
    /// <summary>Quantises <paramref name="query"/> into <paramref name="values"/>; returns the scale (0 for an all-zero query).</summary>
    public static float Quantize(ReadOnlySpan<float> query, Span<short> values)
    {
        var max = 0f;
        foreach (var v in query)
            max = MathF.Max(max, MathF.Abs(v));
        if (max == 0 || !float.IsFinite(max))
        {
            // A non-finite query has no int16 image; callers fall back to the fp32 path for it.
            values.Clear();
            return max == 0 ? 0 : float.NaN;
        }
        var scale = max / short.MaxValue;
        var inverse = short.MaxValue / max;
        for (var i = 0; i < query.Length; i++)
            values[i] = (short)Math.Clamp(MathF.Round(query[i] * inverse), -short.MaxValue, short.MaxValue);
        return scale;
    }
}
