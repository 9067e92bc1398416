using Infra.Core.Compression;
using Infra.Core.Kernels;

namespace Infra.Core.Tests.Kernels;

/// <summary>
/// One random <c>n x d</c> store in a dtype and <c>m</c> queries: runs a forced kernel path and checks every score
/// against the double-precision <see cref="ScalarReference"/> within the documented fp32 bound
/// <c>(d + d/128 + 16) · 2^-24 · Σ|row · query|</c>.
/// </summary>
internal sealed class ScoreCase
{
    private const double Unit = 1.0 / (1 << 24);

    private readonly FactorDType dtype;
    private readonly int n, d, m;
    private readonly float[] queries;
    private readonly float[] decoded;
    private readonly QuantizedBlock block;

    public ScoreCase(FactorDType dtype, int n, int d, int m, int seed)
    {
        this.dtype = dtype;
        this.n = n;
        this.d = d;
        this.m = m;
        var random = new Random(seed);
        // Rows of varied magnitude (as gradients are) and mixed signs, so cancellation is exercised.
        var values = new float[n * d];
        for (var r = 0; r < n; r++)
        {
            var scale = MathF.Pow(10, random.Next(-3, 3));
            for (var k = 0; k < d; k++)
                values[r * d + k] = (float)(random.NextDouble() * 2 - 1) * scale;
        }
        queries = Enumerable.Range(0, m * d).Select(_ => (float)(random.NextDouble() * 2 - 1)).ToArray();
        block = Quantizer.Encode(values, n, d, dtype);
        decoded = Quantizer.Decode(block);
    }

    public float[] Run(KernelPath path, Int8ScoreMode mode = Int8ScoreMode.Float32) => Run(path, 0, n, mode);

    /// <summary>Scores rows <c>[first, first + count)</c> only, as a shard or a chunk holding just those rows would.</summary>
    public float[] Run(KernelPath path, int first, int count, Int8ScoreMode mode = Int8ScoreMode.Float32)
    {
        var scores = new float[count * m];
        var size = dtype switch { FactorDType.Float32 => 4, FactorDType.BFloat16 or FactorDType.Float16 => 2, _ => 1 };
        var data = block.Data.AsSpan(first * d * size, count * d * size);
        switch (dtype)
        {
            case FactorDType.Float32:
                ScoreKernels.Score<Float32Decoder, float>(System.Runtime.InteropServices.MemoryMarshal.Cast<byte, float>(data), default, count, d, queries, m, scores, path, mode);
                break;
            case FactorDType.BFloat16:
                ScoreKernels.Score<BFloat16Decoder, ushort>(System.Runtime.InteropServices.MemoryMarshal.Cast<byte, ushort>(data), default, count, d, queries, m, scores, path, mode);
                break;
            case FactorDType.Float16:
                ScoreKernels.Score<Float16Decoder, Half>(System.Runtime.InteropServices.MemoryMarshal.Cast<byte, Half>(data), default, count, d, queries, m, scores, path, mode);
                break;
            default:
                ScoreKernels.Score<Int8Decoder, sbyte>(System.Runtime.InteropServices.MemoryMarshal.Cast<byte, sbyte>(data), block.RowScales.AsSpan(first, count), count, d, queries, m, scores, path, mode);
                break;
        }
        return scores;
    }

    public void AssertWithinFp32Bound(KernelPath path)
    {
        var scores = Run(path);
        var reference = dtype == FactorDType.Int8
            ? ScalarReference.Scores(System.Runtime.InteropServices.MemoryMarshal.Cast<byte, sbyte>(block.Data.AsSpan()), block.RowScales, n, d, queries, m)
            : ScalarReference.Scores(decoded, n, d, queries, m);
        var magnitudes = ScalarReference.Magnitudes(decoded, n, d, queries, m);
        for (var i = 0; i < scores.Length; i++)
        {
            // The int8 magnitude comes from fp32-rounded q·scale values: allow that one extra unit.
            var bound = (d + d / 128 + 17) * Unit * magnitudes[i] * (1 + 2 * Unit) + 1e-30;
            var error = Math.Abs(scores[i] - reference[i]);
            Assert.True(error <= bound, $"{dtype} {path} n={n} d={d} m={m} [{i / Math.Max(1, m)},{i % Math.Max(1, m)}]: {scores[i]} vs {reference[i]} (error {error:G3} > {bound:G3})");
        }
    }
}
