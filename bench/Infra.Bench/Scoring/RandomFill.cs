namespace Infra.Bench.Scoring;

/// <summary>Fast reproducible random data for large buffers (xorshift; quality is irrelevant, realism of values is not).</summary>
internal static unsafe class RandomFill
{
    public static void Floats(float* p, long count, ulong seed)
    {
        var s = seed | 1;
        for (long i = 0; i < count; i++)
            p[i] = (float)((long)Next(ref s) >> 11) * (1f / (1L << 52));
    }

    /// <summary>bf16 values of magnitude 2^-7..2^-5 with random sign and mantissa (finite, so scores are meaningful).</summary>
    public static void BFloat16(ushort* p, long count, ulong seed)
    {
        var s = seed | 1;
        long i = 0;
        for (; i + 4 <= count; i += 4)
        {
            var r = Next(ref s);
            for (var j = 0; j < 4; j++)
                p[i + j] = (ushort)(((r >> (16 * j)) & 0x80FF) | 0x3C00);
        }
        for (; i < count; i++)
            p[i] = (ushort)((Next(ref s) & 0x80FF) | 0x3C00);
    }

    public static void Int8(sbyte* p, long count, ulong seed)
    {
        var s = seed | 1;
        long i = 0;
        for (; i + 8 <= count; i += 8)
            *(ulong*)(p + i) = Next(ref s) & 0x7F7F7F7F7F7F7F7FUL ^ 0x8080808080808080UL & Next(ref s);
        for (; i < count; i++)
            p[i] = (sbyte)((int)(Next(ref s) % 255) - 127);
    }

    private static ulong Next(ref ulong s)
    {
        s ^= s << 13;
        s ^= s >> 7;
        s ^= s << 17;
        return s;
    }
}
