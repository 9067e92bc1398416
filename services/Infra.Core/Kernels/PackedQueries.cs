using System.Runtime.InteropServices;

namespace Infra.Core.Kernels;

/// <summary>
/// Queries transposed once into column panels for the GEMM micro-kernels: panel <c>p</c> holds queries
/// <c>[Start(p), Start(p) + Width(p))</c> as <c>d x Width(p)</c> fp32, k-major, so one k step of a micro-kernel
/// reads <c>Width(p)</c> consecutive floats. Panels past <c>m</c> are zero-padded (their scores are discarded).
/// Lives in 64-byte-aligned native memory: aligned vector loads, and no GC pinning.
/// </summary>
internal sealed unsafe class PackedQueries : IDisposable
{
    private readonly int[] starts;
    private readonly int[] widths;
    private readonly long[] offsets;
    private float* data;

    /// <summary>Packs row-major <c>m x d</c> queries into panels of <paramref name="panelWidth"/> (16 or 32) columns.</summary>
    public PackedQueries(float* queries, int m, int d, int panelWidth)
    {
        var count = (m + panelWidth - 1) / panelWidth;
        starts = new int[count];
        widths = new int[count];
        offsets = new long[count];
        long total = 0;
        for (var p = 0; p < count; p++)
        {
            starts[p] = p * panelWidth;
            // A short last panel of a 32-wide packing uses the 16-wide kernel: half the wasted FMAs.
            widths[p] = panelWidth == 32 && m - starts[p] <= 16 ? 16 : panelWidth;
            offsets[p] = total;
            total += (long)widths[p] * d;
        }
        data = (float*)NativeMemory.AlignedAlloc((nuint)Math.Max(1, total) * sizeof(float), 64);
        for (var p = 0; p < count; p++)
        {
            var panel = data + offsets[p];
            int width = widths[p], valid = Math.Min(width, m - starts[p]);
            for (var k = 0; k < d; k++)
            {
                var dst = panel + (long)k * width;
                for (var j = 0; j < valid; j++)
                    dst[j] = queries[(long)(starts[p] + j) * d + k];
                for (var j = valid; j < width; j++)
                    dst[j] = 0;
            }
        }
    }

    /// <summary>Number of panels.</summary>
    public int Count => starts.Length;

    /// <summary>First query of panel <paramref name="p"/>.</summary>
    public int Start(int p) => starts[p];

    /// <summary>Columns of panel <paramref name="p"/> (16 or 32), padding included.</summary>
    public int Width(int p) => widths[p];

    /// <summary>Panel <paramref name="p"/>'s data, <c>d x Width(p)</c>.</summary>
    public float* Panel(int p) => data + offsets[p];

    /// <inheritdoc />
    public void Dispose()
    {
        NativeMemory.AlignedFree(data);
        data = null;
    }
}
