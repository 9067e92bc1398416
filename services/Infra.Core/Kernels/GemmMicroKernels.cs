using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Infra.Core.Kernels;

// The register tiles are unrolled so that every accumulator is a
// named local the JIT keeps in a register.

/// <summary>
/// Register-blocked GEMM micro-kernels: <c>C[mr x nc] += A B</c>, where A is a packed tile of store rows (always the
/// kernel's full row count, row r at <c>a + r * <see cref="PackedStride"/></c>, <c>kc</c> fp32 values each; rows past
/// <c>mr</c> are zero-filled by the packer, computed and discarded) and B one packed query panel (<c>kc x width</c>,
/// k-major). Each k step broadcasts one element per row and multiplies it by the panel's vector(s): an outer-product
/// update with all accumulators in registers, which start from C (row stride <c>ldc</c>) and are stored back to it. A
/// partial tile (fewer than the kernel's rows, or <c>nc</c> below its width) goes through the caller's 384-float
/// scratch <c>tile</c>, zero-padded, so only its first <c>mr</c> rows and <c>nc</c> columns of C are read and written (a
/// stackalloc inside the kernel made the JIT keep every accumulator in memory).
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
        // The accumulators start from C itself (a partial tile from a zero-padded copy in tile), and the sums go
        // straight back: one load and one store per accumulator, where a zero start, a store to tile and a
        // load-add-store into C cost three more. Every element takes the same sequence of roundings whether its
        // tile is full or partial, so a row scores the same wherever a shard or chunk boundary puts it.
        var full = mr == 12 && nc == 32;
        if (!full)
            LoadTile(tile, 12, 32, c, ldc, mr, nc);
        var src = full ? c : tile;
        var ld = full ? ldc : 32;
        var c0x0 = Vector512.Load(src + 0);
        var c0x1 = Vector512.Load(src + 0 + 16);
        var c1x0 = Vector512.Load(src + 1 * ld);
        var c1x1 = Vector512.Load(src + 1 * ld + 16);
        var c2x0 = Vector512.Load(src + 2 * ld);
        var c2x1 = Vector512.Load(src + 2 * ld + 16);
        var c3x0 = Vector512.Load(src + 3 * ld);
        var c3x1 = Vector512.Load(src + 3 * ld + 16);
        var c4x0 = Vector512.Load(src + 4 * ld);
        var c4x1 = Vector512.Load(src + 4 * ld + 16);
        var c5x0 = Vector512.Load(src + 5 * ld);
        var c5x1 = Vector512.Load(src + 5 * ld + 16);
        var c6x0 = Vector512.Load(src + 6 * ld);
        var c6x1 = Vector512.Load(src + 6 * ld + 16);
        var c7x0 = Vector512.Load(src + 7 * ld);
        var c7x1 = Vector512.Load(src + 7 * ld + 16);
        var c8x0 = Vector512.Load(src + 8 * ld);
        var c8x1 = Vector512.Load(src + 8 * ld + 16);
        var c9x0 = Vector512.Load(src + 9 * ld);
        var c9x1 = Vector512.Load(src + 9 * ld + 16);
        var c10x0 = Vector512.Load(src + 10 * ld);
        var c10x1 = Vector512.Load(src + 10 * ld + 16);
        var c11x0 = Vector512.Load(src + 11 * ld);
        var c11x1 = Vector512.Load(src + 11 * ld + 16);
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

        // Stores only: a call while the accumulators are live makes the JIT spill them to the stack on every k step
        // (all vector registers are caller-saved), a 2-3x slowdown.
        c0x0.Store(src + 0);
        c0x1.Store(src + 0 + 16);
        c1x0.Store(src + 1 * ld);
        c1x1.Store(src + 1 * ld + 16);
        c2x0.Store(src + 2 * ld);
        c2x1.Store(src + 2 * ld + 16);
        c3x0.Store(src + 3 * ld);
        c3x1.Store(src + 3 * ld + 16);
        c4x0.Store(src + 4 * ld);
        c4x1.Store(src + 4 * ld + 16);
        c5x0.Store(src + 5 * ld);
        c5x1.Store(src + 5 * ld + 16);
        c6x0.Store(src + 6 * ld);
        c6x1.Store(src + 6 * ld + 16);
        c7x0.Store(src + 7 * ld);
        c7x1.Store(src + 7 * ld + 16);
        c8x0.Store(src + 8 * ld);
        c8x1.Store(src + 8 * ld + 16);
        c9x0.Store(src + 9 * ld);
        c9x1.Store(src + 9 * ld + 16);
        c10x0.Store(src + 10 * ld);
        c10x1.Store(src + 10 * ld + 16);
        c11x0.Store(src + 11 * ld);
        c11x1.Store(src + 11 * ld + 16);
        if (!full)
            StoreTile(tile, 32, c, ldc, mr, nc);
    }

    /// <summary>C[12 x 16] += A[12 x kc] B[kc x 16] with 12 zmm accumulators, AVX-512 (M &lt;= 16 and 16-wide tails).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Kernel12x16(float* a, int mr, float* b, int kc, float* c, nint ldc, int nc, float* tile)
    {
        // The accumulators start from C itself (a partial tile from a zero-padded copy in tile), and the sums go
        // straight back: one load and one store per accumulator, where a zero start, a store to tile and a
        // load-add-store into C cost three more. Every element takes the same sequence of roundings whether its
        // tile is full or partial, so a row scores the same wherever a shard or chunk boundary puts it.
        var full = mr == 12 && nc == 16;
        if (!full)
            LoadTile(tile, 12, 16, c, ldc, mr, nc);
        var src = full ? c : tile;
        var ld = full ? ldc : 16;
        var c0 = Vector512.Load(src + 0);
        var c1 = Vector512.Load(src + 1 * ld);
        var c2 = Vector512.Load(src + 2 * ld);
        var c3 = Vector512.Load(src + 3 * ld);
        var c4 = Vector512.Load(src + 4 * ld);
        var c5 = Vector512.Load(src + 5 * ld);
        var c6 = Vector512.Load(src + 6 * ld);
        var c7 = Vector512.Load(src + 7 * ld);
        var c8 = Vector512.Load(src + 8 * ld);
        var c9 = Vector512.Load(src + 9 * ld);
        var c10 = Vector512.Load(src + 10 * ld);
        var c11 = Vector512.Load(src + 11 * ld);
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

        // Stores only: a call while the accumulators are live makes the JIT spill them to the stack on every k step
        // (all vector registers are caller-saved), a 2-3x slowdown.
        c0.Store(src + 0);
        c1.Store(src + 1 * ld);
        c2.Store(src + 2 * ld);
        c3.Store(src + 3 * ld);
        c4.Store(src + 4 * ld);
        c5.Store(src + 5 * ld);
        c6.Store(src + 6 * ld);
        c7.Store(src + 7 * ld);
        c8.Store(src + 8 * ld);
        c9.Store(src + 9 * ld);
        c10.Store(src + 10 * ld);
        c11.Store(src + 11 * ld);
        if (!full)
            StoreTile(tile, 16, c, ldc, mr, nc);
    }

    /// <summary>C[6 x 16] += A[6 x kc] B[kc x 16] with 12 ymm accumulators (of 16), AVX2.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Kernel6x16(float* a, int mr, float* b, int kc, float* c, nint ldc, int nc, float* tile)
    {
        // The accumulators start from C itself (a partial tile from a zero-padded copy in tile), and the sums go
        // straight back: one load and one store per accumulator, where a zero start, a store to tile and a
        // load-add-store into C cost three more. Every element takes the same sequence of roundings whether its
        // tile is full or partial, so a row scores the same wherever a shard or chunk boundary puts it.
        var full = mr == 6 && nc == 16;
        if (!full)
            LoadTile(tile, 6, 16, c, ldc, mr, nc);
        var src = full ? c : tile;
        var ld = full ? ldc : 16;
        var c0x0 = Vector256.Load(src + 0);
        var c0x1 = Vector256.Load(src + 0 + 8);
        var c1x0 = Vector256.Load(src + 1 * ld);
        var c1x1 = Vector256.Load(src + 1 * ld + 8);
        var c2x0 = Vector256.Load(src + 2 * ld);
        var c2x1 = Vector256.Load(src + 2 * ld + 8);
        var c3x0 = Vector256.Load(src + 3 * ld);
        var c3x1 = Vector256.Load(src + 3 * ld + 8);
        var c4x0 = Vector256.Load(src + 4 * ld);
        var c4x1 = Vector256.Load(src + 4 * ld + 8);
        var c5x0 = Vector256.Load(src + 5 * ld);
        var c5x1 = Vector256.Load(src + 5 * ld + 8);
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

        // Stores only: a call while the accumulators are live makes the JIT spill them to the stack on every k step
        // (all vector registers are caller-saved), a 2-3x slowdown.
        c0x0.Store(src + 0);
        c0x1.Store(src + 0 + 8);
        c1x0.Store(src + 1 * ld);
        c1x1.Store(src + 1 * ld + 8);
        c2x0.Store(src + 2 * ld);
        c2x1.Store(src + 2 * ld + 8);
        c3x0.Store(src + 3 * ld);
        c3x1.Store(src + 3 * ld + 8);
        c4x0.Store(src + 4 * ld);
        c4x1.Store(src + 4 * ld + 8);
        c5x0.Store(src + 5 * ld);
        c5x1.Store(src + 5 * ld + 8);
        if (!full)
            StoreTile(tile, 16, c, ldc, mr, nc);
    }

    // A partial tile's C values into the zeroed scratch tile (rows past mr and columns past nc stay zero).
    private static void LoadTile(float* tile, int rows, int width, float* c, nint ldc, int mr, int nc)
    {
        NativeMemory.Clear(tile, (nuint)(rows * width) * sizeof(float));
        for (var r = 0; r < mr; r++)
            new ReadOnlySpan<float>(c + r * ldc, nc).CopyTo(new Span<float>(tile + r * width, nc));
    }

    // A partial tile's sums back from the scratch tile into C: only its mr rows and nc columns.
    private static void StoreTile(float* tile, int width, float* c, nint ldc, int mr, int nc)
    {
        for (var r = 0; r < mr; r++)
            new ReadOnlySpan<float>(tile + r * width, nc).CopyTo(new Span<float>(c + r * ldc, nc));
    }
}
