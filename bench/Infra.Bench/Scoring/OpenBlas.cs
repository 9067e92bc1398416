using System.Runtime.InteropServices;

namespace Infra.Bench.Scoring;

/// <summary>Debian's OpenBLAS (<c>libopenblas0-pthread</c>), used only as the side-by-side sgemm baseline.</summary>
internal static unsafe partial class OpenBlas
{
    private const string Library = "libopenblas.so.0";
    private const int RowMajor = 101, NoTrans = 111, Trans = 112;

    public static bool IsAvailable => NativeLibrary.TryLoad(Library, out _);

    /// <summary><c>scores (n x m) = rows (n x d) · queriesᵀ (d x m)</c>, all row-major.</summary>
    public static void Scores(float* rows, int n, int d, float* queries, int m, float* scores) =>
        cblas_sgemm(RowMajor, NoTrans, Trans, n, m, d, 1f, rows, d, queries, d, 0f, scores, m);

    public static string CoreName => Marshal.PtrToStringUTF8((nint)openblas_get_corename()) ?? "?";

    public static string Config => Marshal.PtrToStringUTF8((nint)openblas_get_config()) ?? "?";

    [LibraryImport(Library)]
    public static partial void openblas_set_num_threads(int threads);

    [LibraryImport(Library)]
    private static partial byte* openblas_get_corename();

    [LibraryImport(Library)]
    private static partial byte* openblas_get_config();

    [LibraryImport(Library)]
    private static partial void cblas_sgemm(int order, int transA, int transB, int m, int n, int k, float alpha, float* a, int lda, float* b, int ldb, float beta, float* c, int ldc);
}
