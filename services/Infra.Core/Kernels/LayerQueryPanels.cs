namespace Infra.Core.Kernels;

/// <summary>
/// The M preconditioned queries <c>Q̃_j</c> (<c>k_out x k_in</c> each) of one tracked layer, packed once for
/// <see cref="TokenScoreKernels"/>: query j's output rows in panels of <see cref="Width"/> (32 on AVX-512, 16 on AVX2),
/// each panel <c>k_in x Width</c>, k-major, zero past <c>k_out</c>. Packing costs as much as scoring about one token,
/// so a caller scoring many examples against the same queries packs once per layer and reuses this.
/// Immutable, so one instance may serve concurrent calls.
/// </summary>
public sealed class LayerQueryPanels
{
    private readonly float[] data;

    /// <summary>Packs <paramref name="queries"/> for the widest kernel this machine runs.</summary>
    /// <param name="queries">Preconditioned queries, <c>m x kOut x kIn</c> row-major.</param>
    /// <param name="m">Query count.</param>
    /// <param name="kIn">Input factor width.</param>
    /// <param name="kOut">Output factor width.</param>
    /// <exception cref="ArgumentException">The span's length does not match the shape.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A negative dimension.</exception>
    public LayerQueryPanels(ReadOnlySpan<float> queries, int m, int kIn, int kOut)
        : this(queries, m, kIn, kOut, KernelPath.Auto)
    {
    }

    /// <summary>As the public constructor, for a forced kernel path (tests); the scalar path keeps the row-major layout.</summary>
    internal LayerQueryPanels(ReadOnlySpan<float> queries, int m, int kIn, int kOut, KernelPath path)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(m);
        ArgumentOutOfRangeException.ThrowIfNegative(kIn);
        ArgumentOutOfRangeException.ThrowIfNegative(kOut);
        if (queries.Length != (long)m * kOut * kIn)
            throw new ArgumentException($"{m} queries of {kOut} x {kIn} need {(long)m * kOut * kIn} values, got {queries.Length}", nameof(queries));
        Path = KernelPaths.Resolve(path);
        QueryCount = m;
        KIn = kIn;
        KOut = kOut;
        // A one-wide panel of k_in values is a row of Q̃_j: the scalar path reads the queries as given.
        Width = Path switch { KernelPath.Vector512 => 32, KernelPath.Vector256 => 16, _ => 1 };
        PanelsPerQuery = (kOut + Width - 1) / Width;
        // Pinned, so kernels take its address without fixing it, and no Dispose is owed by the many callers.
        data = GC.AllocateArray<float>((int)Math.Max(1, (long)m * PanelsPerQuery * Width * kIn), pinned: true);
        for (var j = 0; j < m; j++)
            for (var p = 0; p < PanelsPerQuery; p++)
            {
                var panel = data.AsSpan((int)(((long)j * PanelsPerQuery + p) * kIn * Width), kIn * Width);
                var columns = Math.Min(Width, kOut - p * Width);
                for (var c = 0; c < columns; c++)
                {
                    var row = queries.Slice((j * kOut + p * Width + c) * kIn, kIn);
                    for (var i = 0; i < kIn; i++)
                        panel[i * Width + c] = row[i];
                }
            }
    }

    /// <summary>Query count M.</summary>
    public int QueryCount { get; }

    /// <summary>Input factor width <c>k_in</c>.</summary>
    public int KIn { get; }

    /// <summary>Output factor width <c>k_out</c>.</summary>
    public int KOut { get; }

    /// <summary>The kernel path these panels were packed for.</summary>
    internal KernelPath Path { get; }

    /// <summary>Output rows per panel: 32 (AVX-512), 16 (AVX2) or 1 (scalar).</summary>
    internal int Width { get; }

    /// <summary>Panels per query, <c>ceil(k_out / Width)</c>.</summary>
    internal int PanelsPerQuery { get; }

    /// <summary>Panel <paramref name="p"/> of query <paramref name="j"/>: <c>k_in x Width</c>, k-major.</summary>
    internal unsafe float* Panel(int j, int p) =>
        (float*)System.Runtime.CompilerServices.Unsafe.AsPointer(ref data[0]) + ((long)j * PanelsPerQuery + p) * KIn * Width;
}
