using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace Infra.Core.Kernels;

// The register tiles are unrolled so that every accumulator is a
// named local the JIT keeps in a register.

/// <summary>
/// Register-blocked GEMM micro-kernels: <c>C[mr x nc] += A B</c>, where A is a packed tile of store rows (always the
/// kernel's full row count, row r at <c>a + r * <see cref="PackedStride"/></c>, <c>kc</c> fp32 values each; rows past
/// <c>mr</c> are zero-filled by the packer, computed and discarded) and B one packed query panel (<c>kc x width</c>,
/// k-major). Each k step broadcasts one element per row and multiplies it by the panel's vector(s): an outer-product
/// update with all accumulators in registers. Only the first <c>nc</c> columns are added to C (row stride <c>ldc</c>),
/// through the caller's 384-float scratch <c>tile</c> (a stackalloc inside the kernel made the JIT keep every
/// accumulator in memory).
/// </summary>
internal static unsafe class GemmMicroKernels
{
    /// <summary>
    /// Row stride of a packed A tile, and so the longest k-block. A compile-time stride turns every row's broadcast
    /// into one pointer plus a constant displacement: twelve row pointers (the unpacked rows of a store) plus the
    /// panel pointer and the loop counters ask for more general registers than x64 has. Packing also puts the
    /// twelve rows, 16 KB apart in the store (all in one L1 set for d = 4096), into one contiguous 12 KB block.
    /// </summary>
    public const int PackedStride = 256;

    /// <summary>C[12 x 32] += A[12 x kc] B[kc x 32] with 24 zmm accumulators (of 32), AVX-512.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Kernel12x32(float* a, int mr, float* b, int kc, float* c, nint ldc, int nc, float* tile)
    {
        Vector512<float> c0x0 = default, c0x1 = default, c1x0 = default, c1x1 = default, c2x0 = default, c2x1 = default, c3x0 = default, c3x1 = default, c4x0 = default, c4x1 = default, c5x0 = default, c5x1 = default, c6x0 = default, c6x1 = default, c7x0 = default, c7x1 = default, c8x0 = default, c8x1 = default, c9x0 = default, c9x1 = default, c10x0 = default, c10x1 = default, c11x0 = default, c11x1 = default;
        for (var k = 0; k < kc; k++, a++)
        {
            var b0 = Vector512.Load(b);
            var b1 = Vector512.Load(b + 16);
            b += 32;
            var x0 = Vector512.Create(a[0]);
            c0x0 = Vector512.FusedMultiplyAdd(x0, b0, c0x0);
            c0x1 = Vector512.FusedMultiplyAdd(x0, b1, c0x1);
            var x1 = Vector512.Create(a[1 * PackedStride]);
            c1x0 = Vector512.FusedMultiplyAdd(x1, b0, c1x0);
            c1x1 = Vector512.FusedMultiplyAdd(x1, b1, c1x1);
            var x2 = Vector512.Create(a[2 * PackedStride]);
            c2x0 = Vector512.FusedMultiplyAdd(x2, b0, c2x0);
            c2x1 = Vector512.FusedMultiplyAdd(x2, b1, c2x1);
            var x3 = Vector512.Create(a[3 * PackedStride]);
            c3x0 = Vector512.FusedMultiplyAdd(x3, b0, c3x0);
            c3x1 = Vector512.FusedMultiplyAdd(x3, b1, c3x1);
            var x4 = Vector512.Create(a[4 * PackedStride]);
            c4x0 = Vector512.FusedMultiplyAdd(x4, b0, c4x0);
            c4x1 = Vector512.FusedMultiplyAdd(x4, b1, c4x1);
            var x5 = Vector512.Create(a[5 * PackedStride]);
            c5x0 = Vector512.FusedMultiplyAdd(x5, b0, c5x0);
            c5x1 = Vector512.FusedMultiplyAdd(x5, b1, c5x1);
            var x6 = Vector512.Create(a[6 * PackedStride]);
            c6x0 = Vector512.FusedMultiplyAdd(x6, b0, c6x0);
            c6x1 = Vector512.FusedMultiplyAdd(x6, b1, c6x1);
            var x7 = Vector512.Create(a[7 * PackedStride]);
            c7x0 = Vector512.FusedMultiplyAdd(x7, b0, c7x0);
            c7x1 = Vector512.FusedMultiplyAdd(x7, b1, c7x1);
            var x8 = Vector512.Create(a[8 * PackedStride]);
            c8x0 = Vector512.FusedMultiplyAdd(x8, b0, c8x0);
            c8x1 = Vector512.FusedMultiplyAdd(x8, b1, c8x1);
            var x9 = Vector512.Create(a[9 * PackedStride]);
            c9x0 = Vector512.FusedMultiplyAdd(x9, b0, c9x0);
            c9x1 = Vector512.FusedMultiplyAdd(x9, b1, c9x1);
            var x10 = Vector512.Create(a[10 * PackedStride]);
            c10x0 = Vector512.FusedMultiplyAdd(x10, b0, c10x0);
            c10x1 = Vector512.FusedMultiplyAdd(x10, b1, c10x1);
            var x11 = Vector512.Create(a[11 * PackedStride]);
            c11x0 = Vector512.FusedMultiplyAdd(x11, b0, c11x0);
            c11x1 = Vector512.FusedMultiplyAdd(x11, b1, c11x1);
        }

        if (mr == 12 && nc == 32)
        {
            // A full tile adds its sums to C directly. The k-block's sums still start from zero and are added to C once,
            // as for a partial tile below (blocked summation: ~8x smaller rounding against OpenBLAS at d = 4096 than one
            // chain over all of k), so every element takes the same roundings wherever its tile falls.
            (Vector512.Load(c + 0) + c0x0).Store(c + 0);
            (Vector512.Load(c + 0 + 16) + c0x1).Store(c + 0 + 16);
            (Vector512.Load(c + 1 * ldc) + c1x0).Store(c + 1 * ldc);
            (Vector512.Load(c + 1 * ldc + 16) + c1x1).Store(c + 1 * ldc + 16);
            (Vector512.Load(c + 2 * ldc) + c2x0).Store(c + 2 * ldc);
            (Vector512.Load(c + 2 * ldc + 16) + c2x1).Store(c + 2 * ldc + 16);
            (Vector512.Load(c + 3 * ldc) + c3x0).Store(c + 3 * ldc);
            (Vector512.Load(c + 3 * ldc + 16) + c3x1).Store(c + 3 * ldc + 16);
            (Vector512.Load(c + 4 * ldc) + c4x0).Store(c + 4 * ldc);
            (Vector512.Load(c + 4 * ldc + 16) + c4x1).Store(c + 4 * ldc + 16);
            (Vector512.Load(c + 5 * ldc) + c5x0).Store(c + 5 * ldc);
            (Vector512.Load(c + 5 * ldc + 16) + c5x1).Store(c + 5 * ldc + 16);
            (Vector512.Load(c + 6 * ldc) + c6x0).Store(c + 6 * ldc);
            (Vector512.Load(c + 6 * ldc + 16) + c6x1).Store(c + 6 * ldc + 16);
            (Vector512.Load(c + 7 * ldc) + c7x0).Store(c + 7 * ldc);
            (Vector512.Load(c + 7 * ldc + 16) + c7x1).Store(c + 7 * ldc + 16);
            (Vector512.Load(c + 8 * ldc) + c8x0).Store(c + 8 * ldc);
            (Vector512.Load(c + 8 * ldc + 16) + c8x1).Store(c + 8 * ldc + 16);
            (Vector512.Load(c + 9 * ldc) + c9x0).Store(c + 9 * ldc);
            (Vector512.Load(c + 9 * ldc + 16) + c9x1).Store(c + 9 * ldc + 16);
            (Vector512.Load(c + 10 * ldc) + c10x0).Store(c + 10 * ldc);
            (Vector512.Load(c + 10 * ldc + 16) + c10x1).Store(c + 10 * ldc + 16);
            (Vector512.Load(c + 11 * ldc) + c11x0).Store(c + 11 * ldc);
            (Vector512.Load(c + 11 * ldc + 16) + c11x1).Store(c + 11 * ldc + 16);
            return;
        }

        // Plain stores, then the adds: a call while the accumulators are live makes the JIT spill them
        // to the stack on every k step (all vector registers are caller-saved), a 2-3x slowdown.
        c0x0.Store(tile + 0);
        c0x1.Store(tile + 16);
        c1x0.Store(tile + 32);
        c1x1.Store(tile + 48);
        c2x0.Store(tile + 64);
        c2x1.Store(tile + 80);
        c3x0.Store(tile + 96);
        c3x1.Store(tile + 112);
        c4x0.Store(tile + 128);
        c4x1.Store(tile + 144);
        c5x0.Store(tile + 160);
        c5x1.Store(tile + 176);
        c6x0.Store(tile + 192);
        c6x1.Store(tile + 208);
        c7x0.Store(tile + 224);
        c7x1.Store(tile + 240);
        c8x0.Store(tile + 256);
        c8x1.Store(tile + 272);
        c9x0.Store(tile + 288);
        c9x1.Store(tile + 304);
        c10x0.Store(tile + 320);
        c10x1.Store(tile + 336);
        c11x0.Store(tile + 352);
        c11x1.Store(tile + 368);
        AddTile(tile, 32, c, ldc, mr, nc);
    }

    /// <summary>C[12 x 16] += A[12 x kc] B[kc x 16] with 12 zmm accumulators, AVX-512 (M &lt;= 16 and 16-wide tails).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Kernel12x16(float* a, int mr, float* b, int kc, float* c, nint ldc, int nc, float* tile)
    {
        Vector512<float> c0 = default, c1 = default, c2 = default, c3 = default, c4 = default, c5 = default, c6 = default, c7 = default, c8 = default, c9 = default, c10 = default, c11 = default;
        for (var k = 0; k < kc; k++, a++)
        {
            var b0 = Vector512.Load(b);
            b += 16;
            c0 = Vector512.FusedMultiplyAdd(Vector512.Create(a[0]), b0, c0);
            c1 = Vector512.FusedMultiplyAdd(Vector512.Create(a[1 * PackedStride]), b0, c1);
            c2 = Vector512.FusedMultiplyAdd(Vector512.Create(a[2 * PackedStride]), b0, c2);
            c3 = Vector512.FusedMultiplyAdd(Vector512.Create(a[3 * PackedStride]), b0, c3);
            c4 = Vector512.FusedMultiplyAdd(Vector512.Create(a[4 * PackedStride]), b0, c4);
            c5 = Vector512.FusedMultiplyAdd(Vector512.Create(a[5 * PackedStride]), b0, c5);
            c6 = Vector512.FusedMultiplyAdd(Vector512.Create(a[6 * PackedStride]), b0, c6);
            c7 = Vector512.FusedMultiplyAdd(Vector512.Create(a[7 * PackedStride]), b0, c7);
            c8 = Vector512.FusedMultiplyAdd(Vector512.Create(a[8 * PackedStride]), b0, c8);
            c9 = Vector512.FusedMultiplyAdd(Vector512.Create(a[9 * PackedStride]), b0, c9);
            c10 = Vector512.FusedMultiplyAdd(Vector512.Create(a[10 * PackedStride]), b0, c10);
            c11 = Vector512.FusedMultiplyAdd(Vector512.Create(a[11 * PackedStride]), b0, c11);
        }

        if (mr == 12 && nc == 16)
        {
            // A full tile adds its sums to C directly. The k-block's sums still start from zero and are added to C once,
            // as for a partial tile below (blocked summation: ~8x smaller rounding against OpenBLAS at d = 4096 than one
            // chain over all of k), so every element takes the same roundings wherever its tile falls.
            (Vector512.Load(c + 0) + c0).Store(c + 0);
            (Vector512.Load(c + 1 * ldc) + c1).Store(c + 1 * ldc);
            (Vector512.Load(c + 2 * ldc) + c2).Store(c + 2 * ldc);
            (Vector512.Load(c + 3 * ldc) + c3).Store(c + 3 * ldc);
            (Vector512.Load(c + 4 * ldc) + c4).Store(c + 4 * ldc);
            (Vector512.Load(c + 5 * ldc) + c5).Store(c + 5 * ldc);
            (Vector512.Load(c + 6 * ldc) + c6).Store(c + 6 * ldc);
            (Vector512.Load(c + 7 * ldc) + c7).Store(c + 7 * ldc);
            (Vector512.Load(c + 8 * ldc) + c8).Store(c + 8 * ldc);
            (Vector512.Load(c + 9 * ldc) + c9).Store(c + 9 * ldc);
            (Vector512.Load(c + 10 * ldc) + c10).Store(c + 10 * ldc);
            (Vector512.Load(c + 11 * ldc) + c11).Store(c + 11 * ldc);
            return;
        }

        // Plain stores, then the adds: a call while the accumulators are live makes the JIT spill them
        // to the stack on every k step (all vector registers are caller-saved), a 2-3x slowdown.
        c0.Store(tile + 0);
        c1.Store(tile + 16);
        c2.Store(tile + 32);
        c3.Store(tile + 48);
        c4.Store(tile + 64);
        c5.Store(tile + 80);
        c6.Store(tile + 96);
        c7.Store(tile + 112);
        c8.Store(tile + 128);
        c9.Store(tile + 144);
        c10.Store(tile + 160);
        c11.Store(tile + 176);
        AddTile(tile, 16, c, ldc, mr, nc);
    }

    /// <summary>C[6 x 16] += A[6 x kc] B[kc x 16] with 12 ymm accumulators (of 16), AVX2.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Kernel6x16(float* a, int mr, float* b, int kc, float* c, nint ldc, int nc, float* tile)
    {
        Vector256<float> c0x0 = default, c0x1 = default, c1x0 = default, c1x1 = default, c2x0 = default, c2x1 = default, c3x0 = default, c3x1 = default, c4x0 = default, c4x1 = default, c5x0 = default, c5x1 = default;
        for (var k = 0; k < kc; k++, a++)
        {
            var b0 = Vector256.Load(b);
            var b1 = Vector256.Load(b + 8);
            b += 16;
            var x0 = Vector256.Create(a[0]);
            c0x0 = Vector256.FusedMultiplyAdd(x0, b0, c0x0);
            c0x1 = Vector256.FusedMultiplyAdd(x0, b1, c0x1);
            var x1 = Vector256.Create(a[1 * PackedStride]);
            c1x0 = Vector256.FusedMultiplyAdd(x1, b0, c1x0);
            c1x1 = Vector256.FusedMultiplyAdd(x1, b1, c1x1);
            var x2 = Vector256.Create(a[2 * PackedStride]);
            c2x0 = Vector256.FusedMultiplyAdd(x2, b0, c2x0);
            c2x1 = Vector256.FusedMultiplyAdd(x2, b1, c2x1);
            var x3 = Vector256.Create(a[3 * PackedStride]);
            c3x0 = Vector256.FusedMultiplyAdd(x3, b0, c3x0);
            c3x1 = Vector256.FusedMultiplyAdd(x3, b1, c3x1);
            var x4 = Vector256.Create(a[4 * PackedStride]);
            c4x0 = Vector256.FusedMultiplyAdd(x4, b0, c4x0);
            c4x1 = Vector256.FusedMultiplyAdd(x4, b1, c4x1);
            var x5 = Vector256.Create(a[5 * PackedStride]);
            c5x0 = Vector256.FusedMultiplyAdd(x5, b0, c5x0);
            c5x1 = Vector256.FusedMultiplyAdd(x5, b1, c5x1);
        }

        if (mr == 6 && nc == 16)
        {
            // A full tile adds its sums to C directly. The k-block's sums still start from zero and are added to C once,
            // as for a partial tile below (blocked summation: ~8x smaller rounding against OpenBLAS at d = 4096 than one
            // chain over all of k), so every element takes the same roundings wherever its tile falls.
            (Vector256.Load(c + 0) + c0x0).Store(c + 0);
            (Vector256.Load(c + 0 + 8) + c0x1).Store(c + 0 + 8);
            (Vector256.Load(c + 1 * ldc) + c1x0).Store(c + 1 * ldc);
            (Vector256.Load(c + 1 * ldc + 8) + c1x1).Store(c + 1 * ldc + 8);
            (Vector256.Load(c + 2 * ldc) + c2x0).Store(c + 2 * ldc);
            (Vector256.Load(c + 2 * ldc + 8) + c2x1).Store(c + 2 * ldc + 8);
            (Vector256.Load(c + 3 * ldc) + c3x0).Store(c + 3 * ldc);
            (Vector256.Load(c + 3 * ldc + 8) + c3x1).Store(c + 3 * ldc + 8);
            (Vector256.Load(c + 4 * ldc) + c4x0).Store(c + 4 * ldc);
            (Vector256.Load(c + 4 * ldc + 8) + c4x1).Store(c + 4 * ldc + 8);
            (Vector256.Load(c + 5 * ldc) + c5x0).Store(c + 5 * ldc);
            (Vector256.Load(c + 5 * ldc + 8) + c5x1).Store(c + 5 * ldc + 8);
            return;
        }

        // Plain stores, then the adds: a call while the accumulators are live makes the JIT spill them
        // to the stack on every k step (all vector registers are caller-saved), a 2-3x slowdown.
        c0x0.Store(tile + 0);
        c0x1.Store(tile + 8);
        c1x0.Store(tile + 16);
        c1x1.Store(tile + 24);
        c2x0.Store(tile + 32);
        c2x1.Store(tile + 40);
        c3x0.Store(tile + 48);
        c3x1.Store(tile + 56);
        c4x0.Store(tile + 64);
        c4x1.Store(tile + 72);
        c5x0.Store(tile + 80);
        c5x1.Store(tile + 88);
        AddTile(tile, 16, c, ldc, mr, nc);
    }

    private static void AddTile(float* tile, int width, float* c, nint ldc, int mr, int nc)
    {
        for (var r = 0; r < mr; r++)
        {
            float* src = tile + r * width, dst = c + r * ldc;
            var j = 0;
            if (nc == width)
            {
                for (; j <= nc - 8; j += 8)
                    (Vector256.Load(dst + j) + Vector256.Load(src + j)).Store(dst + j);
            }
            for (; j < nc; j++)
                dst[j] += src[j];
        }
    }
}
