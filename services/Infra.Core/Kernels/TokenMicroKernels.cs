using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Infra.Core.Kernels;

// The register tiles are unrolled so that every accumulator is a named local the JIT keeps in a register.

/// <summary>
/// Fused token-level micro-kernels: for a tile of tokens and one panel of a preconditioned query's output rows,
/// <c>sums[r] += Σ_o ĝ[r, o] · (Σ_i â[r, i] · Q̃[o, i])</c>. The inner product <c>Â Q̃ᵀ</c> is accumulated in
/// registers exactly like the example-level GEMM (one broadcast of <c>â[r, i]</c> times the panel's vectors per
/// step), then multiplied by the tokens' <c>ĝ</c> slice and folded into per-token vector sums without ever being
/// written out. <c>a</c> is the token tile packed k-major (<c>a[i * rows + r]</c>, spare rows zero), <c>b</c> the
/// panel (<c>kIn x width</c>, k-major), <c>g</c> the tile's output factors (row r at <c>g + r * ldg</c>, zero past
/// <c>k_out</c>), <c>sums</c> one vector per token row.
/// </summary>
internal static unsafe class TokenMicroKernels
{
    /// <summary>12 tokens x one 32-wide panel, 24 zmm accumulators, AVX-512.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Fused12x32(float* a, int kIn, float* b, float* g, nint ldg, float* sums)
    {
        Vector512<float> c0x0 = default, c0x1 = default, c1x0 = default, c1x1 = default, c2x0 = default, c2x1 = default, c3x0 = default, c3x1 = default, c4x0 = default, c4x1 = default, c5x0 = default, c5x1 = default, c6x0 = default, c6x1 = default, c7x0 = default, c7x1 = default, c8x0 = default, c8x1 = default, c9x0 = default, c9x1 = default, c10x0 = default, c10x1 = default, c11x0 = default, c11x1 = default;
        for (var i = 0; i < kIn; i++, a += 12, b += 32)
        {
            var b0 = Vector512.Load(b);
            var b1 = Vector512.Load(b + 16);
            var x0 = Vector512.Create(a[0]);
            c0x0 = Vector512.FusedMultiplyAdd(x0, b0, c0x0);
            c0x1 = Vector512.FusedMultiplyAdd(x0, b1, c0x1);
            var x1 = Vector512.Create(a[1]);
            c1x0 = Vector512.FusedMultiplyAdd(x1, b0, c1x0);
            c1x1 = Vector512.FusedMultiplyAdd(x1, b1, c1x1);
            var x2 = Vector512.Create(a[2]);
            c2x0 = Vector512.FusedMultiplyAdd(x2, b0, c2x0);
            c2x1 = Vector512.FusedMultiplyAdd(x2, b1, c2x1);
            var x3 = Vector512.Create(a[3]);
            c3x0 = Vector512.FusedMultiplyAdd(x3, b0, c3x0);
            c3x1 = Vector512.FusedMultiplyAdd(x3, b1, c3x1);
            var x4 = Vector512.Create(a[4]);
            c4x0 = Vector512.FusedMultiplyAdd(x4, b0, c4x0);
            c4x1 = Vector512.FusedMultiplyAdd(x4, b1, c4x1);
            var x5 = Vector512.Create(a[5]);
            c5x0 = Vector512.FusedMultiplyAdd(x5, b0, c5x0);
            c5x1 = Vector512.FusedMultiplyAdd(x5, b1, c5x1);
            var x6 = Vector512.Create(a[6]);
            c6x0 = Vector512.FusedMultiplyAdd(x6, b0, c6x0);
            c6x1 = Vector512.FusedMultiplyAdd(x6, b1, c6x1);
            var x7 = Vector512.Create(a[7]);
            c7x0 = Vector512.FusedMultiplyAdd(x7, b0, c7x0);
            c7x1 = Vector512.FusedMultiplyAdd(x7, b1, c7x1);
            var x8 = Vector512.Create(a[8]);
            c8x0 = Vector512.FusedMultiplyAdd(x8, b0, c8x0);
            c8x1 = Vector512.FusedMultiplyAdd(x8, b1, c8x1);
            var x9 = Vector512.Create(a[9]);
            c9x0 = Vector512.FusedMultiplyAdd(x9, b0, c9x0);
            c9x1 = Vector512.FusedMultiplyAdd(x9, b1, c9x1);
            var x10 = Vector512.Create(a[10]);
            c10x0 = Vector512.FusedMultiplyAdd(x10, b0, c10x0);
            c10x1 = Vector512.FusedMultiplyAdd(x10, b1, c10x1);
            var x11 = Vector512.Create(a[11]);
            c11x0 = Vector512.FusedMultiplyAdd(x11, b0, c11x0);
            c11x1 = Vector512.FusedMultiplyAdd(x11, b1, c11x1);
        }

        // The fold: (Â Q̃ᵀ) ⊙ Ĝ for this panel, added to each token's running vector; no calls, so nothing spills.
        Fold(c0x0, c0x1, g, sums);
        Fold(c1x0, c1x1, g + ldg, sums + 16);
        Fold(c2x0, c2x1, g + 2 * ldg, sums + 32);
        Fold(c3x0, c3x1, g + 3 * ldg, sums + 48);
        Fold(c4x0, c4x1, g + 4 * ldg, sums + 64);
        Fold(c5x0, c5x1, g + 5 * ldg, sums + 80);
        Fold(c6x0, c6x1, g + 6 * ldg, sums + 96);
        Fold(c7x0, c7x1, g + 7 * ldg, sums + 112);
        Fold(c8x0, c8x1, g + 8 * ldg, sums + 128);
        Fold(c9x0, c9x1, g + 9 * ldg, sums + 144);
        Fold(c10x0, c10x1, g + 10 * ldg, sums + 160);
        Fold(c11x0, c11x1, g + 11 * ldg, sums + 176);
    }

    /// <summary>6 tokens x one 16-wide panel, 12 ymm accumulators, AVX2.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Fused6x16(float* a, int kIn, float* b, float* g, nint ldg, float* sums)
    {
        Vector256<float> c0x0 = default, c0x1 = default, c1x0 = default, c1x1 = default, c2x0 = default, c2x1 = default, c3x0 = default, c3x1 = default, c4x0 = default, c4x1 = default, c5x0 = default, c5x1 = default;
        for (var i = 0; i < kIn; i++, a += 6, b += 16)
        {
            var b0 = Vector256.Load(b);
            var b1 = Vector256.Load(b + 8);
            var x0 = Vector256.Create(a[0]);
            c0x0 = Vector256.FusedMultiplyAdd(x0, b0, c0x0);
            c0x1 = Vector256.FusedMultiplyAdd(x0, b1, c0x1);
            var x1 = Vector256.Create(a[1]);
            c1x0 = Vector256.FusedMultiplyAdd(x1, b0, c1x0);
            c1x1 = Vector256.FusedMultiplyAdd(x1, b1, c1x1);
            var x2 = Vector256.Create(a[2]);
            c2x0 = Vector256.FusedMultiplyAdd(x2, b0, c2x0);
            c2x1 = Vector256.FusedMultiplyAdd(x2, b1, c2x1);
            var x3 = Vector256.Create(a[3]);
            c3x0 = Vector256.FusedMultiplyAdd(x3, b0, c3x0);
            c3x1 = Vector256.FusedMultiplyAdd(x3, b1, c3x1);
            var x4 = Vector256.Create(a[4]);
            c4x0 = Vector256.FusedMultiplyAdd(x4, b0, c4x0);
            c4x1 = Vector256.FusedMultiplyAdd(x4, b1, c4x1);
            var x5 = Vector256.Create(a[5]);
            c5x0 = Vector256.FusedMultiplyAdd(x5, b0, c5x0);
            c5x1 = Vector256.FusedMultiplyAdd(x5, b1, c5x1);
        }

        Fold(c0x0, c0x1, g, sums);
        Fold(c1x0, c1x1, g + ldg, sums + 8);
        Fold(c2x0, c2x1, g + 2 * ldg, sums + 16);
        Fold(c3x0, c3x1, g + 3 * ldg, sums + 24);
        Fold(c4x0, c4x1, g + 4 * ldg, sums + 32);
        Fold(c5x0, c5x1, g + 5 * ldg, sums + 40);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Fold(Vector512<float> h0, Vector512<float> h1, float* g, float* sum) =>
        Vector512.FusedMultiplyAdd(h1, Vector512.Load(g + 16), Vector512.FusedMultiplyAdd(h0, Vector512.Load(g), Vector512.Load(sum))).Store(sum);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Fold(Vector256<float> h0, Vector256<float> h1, float* g, float* sum) =>
        Vector256.FusedMultiplyAdd(h1, Vector256.Load(g + 8), Vector256.FusedMultiplyAdd(h0, Vector256.Load(g), Vector256.Load(sum))).Store(sum);
}
