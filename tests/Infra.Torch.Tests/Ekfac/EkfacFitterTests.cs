using Infra.Core.Errors;
using Infra.Torch.Ekfac;
using Infra.Torch.Gradients;
using static TorchSharp.torch;

namespace Infra.Torch.Tests.Ekfac;

/// <summary>Full-space EK-FAC against brute-force loops and an explicit dense Kronecker-structured inverse.</summary>
public sealed class EkfacFitterTests
{
    private static readonly int Vocab = TestModels.Qwen2Tiny.VocabSize;

    [Fact]
    public void Covariances_eigenbases_and_eigenvalue_correction_equal_brute_force()
    {
        using var model = TestModels.Create(TestModels.Qwen2Tiny, seed: 9);
        var layers = new LayerSelection { Pattern = @"layers\.1\.mlp\.(up|down)_proj$" }.Select(model);
        var computer = new FactorComputer(model, layers);
        var corpus = Enumerable.Range(0, 6).Select(i => TestModels.Example($"e{i}", 6 + 2 * i, 3 + i % 3, Vocab, 100 + i)).ToList();
        using var fitter = new EkfacFitter(layers);
        foreach (var batch in corpus.Chunk(4))
        {
            using var f = computer.Run(batch);
            fitter.AccumulateCovariance(f);
        }
        using var fitted = fitter.FinishCovariance();
        Assert.All(fitted, f => Assert.Null(f.Lambda)); // the correction pass sets Λ on these same factors
        foreach (var batch in corpus.Chunk(4))
        {
            using var f = computer.Run(batch);
            fitter.AccumulateLambda(f, fitted);
        }
        fitter.FinishLambda(fitted);
        Assert.Equal(corpus.Sum(e => e.Ids.Length), fitter.CovarianceTokens);
        Assert.Equal(6, fitter.LambdaExamples);

        for (var l = 0; l < layers.Count; l++)
        {
            var (dIn, dOut) = (layers[l].DIn, layers[l].DOut);
            var aCov = new double[dIn, dIn];
            var sCov = new double[dOut, dOut];
            var examples = new List<double[,]>();
            long tokens = 0;
            foreach (var e in corpus)
            {
                using var f = computer.Run([e]);
                var a = TestModels.ToArray(f.Inputs[l][0]);
                var g = TestModels.ToArray(f.OutputGradients[l][0]);
                var gradient = new double[dOut, dIn];
                for (var t = 0; t < e.Ids.Length; t++, tokens++)
                {
                    for (var i = 0; i < dIn; i++)
                        for (var j = 0; j < dIn; j++)
                            aCov[i, j] += (double)a[t * dIn + i] * a[t * dIn + j];
                    for (var i = 0; i < dOut; i++)
                        for (var j = 0; j < dOut; j++)
                            sCov[i, j] += (double)g[t * dOut + i] * g[t * dOut + j];
                    for (var i = 0; i < dOut; i++)
                        for (var j = 0; j < dIn; j++)
                            gradient[i, j] += (double)g[t * dOut + i] * a[t * dIn + j];
                }
                examples.Add(gradient);
            }
            var factors = fitted[l];
            AssertReconstructs(factors.ActivationEigenvectors, factors.ActivationEigenvalues, aCov, tokens);
            AssertReconstructs(factors.GradientEigenvectors, factors.GradientEigenvalues, sCov, tokens);

            // Λ_ij = mean over examples of (U_Sᵀ G U_A)_ij²
            var uA = Matrix(factors.ActivationEigenvectors);
            var uS = Matrix(factors.GradientEigenvectors);
            var lambda = Matrix(factors.Lambda!);
            var expected = new double[dOut, dIn];
            foreach (var gradient in examples)
            {
                var rotated = Multiply(Multiply(Transpose(uS), gradient), uA);
                for (var i = 0; i < dOut; i++)
                    for (var j = 0; j < dIn; j++)
                        expected[i, j] += rotated[i, j] * rotated[i, j] / examples.Count;
            }
            AssertClose(expected, lambda, 1e-6);
        }
    }

    [Fact]
    public void Preconditioning_equals_the_explicit_dense_kronecker_inverse()
    {
        // Random orthogonal bases and positive Λ of small dims; the dense operator is
        // (U_A ⊗ U_S) diag(1 / (vec Λ + λ)) (U_A ⊗ U_S)ᵀ on the column-major vec(Q).
        const int dIn = 5, dOut = 4;
        var (uA, uS, lambda, q) = Infra.Torch.Runtime.GlobalSeed.Run(3, () => (
            linalg.qr(randn(dIn, dIn, dtype: ScalarType.Float64)).Q,
            linalg.qr(randn(dOut, dOut, dtype: ScalarType.Float64)).Q,
            rand(dOut, dIn, dtype: ScalarType.Float64) + 0.05,
            randn(dOut, dIn)));
        using var factors = new EkfacLayerFactors("layer", uA, ones(dIn, dtype: ScalarType.Float64), uS, ones(dOut, dtype: ScalarType.Float64), lambda);
        const double damping = 0.2;

        var actual = Matrix(factors.Precondition(q, damping).to(ScalarType.Float64));

        var kron = Kronecker(Matrix(uA), Matrix(uS)); // (dIn*dOut)²
        var n = dIn * dOut;
        var lam = Matrix(lambda);
        var qm = Matrix(q.to(ScalarType.Float64));
        var vecQ = new double[n];
        for (var j = 0; j < dIn; j++)
            for (var i = 0; i < dOut; i++)
                vecQ[j * dOut + i] = qm[i, j];
        var rotated = new double[n];
        for (var r = 0; r < n; r++)
            for (var c = 0; c < n; c++)
                rotated[r] += kron[c, r] * vecQ[c];
        for (var j = 0; j < dIn; j++)
            for (var i = 0; i < dOut; i++)
                rotated[j * dOut + i] /= lam[i, j] + damping;
        var expected = new double[dOut, dIn];
        for (var r = 0; r < n; r++)
            for (var c = 0; c < n; c++)
                expected[r % dOut, r / dOut] += kron[r, c] * rotated[c];
        AssertClose(expected, actual, 1e-5);

        // Default damping: 0.1 x mean(Λ).
        Assert.Equal(0.1 * lambda.mean().item<double>(), factors.EffectiveDamping(0), 12);
    }

    [Fact]
    public void Preconditioning_without_the_correction_pass_is_refused()
    {
        using var factors = new EkfacLayerFactors("model.layers.0.mlp.up_proj", eye(2, dtype: ScalarType.Float64), ones(2, dtype: ScalarType.Float64),
            eye(2, dtype: ScalarType.Float64), ones(2, dtype: ScalarType.Float64), null);
        var error = Assert.Throws<DomainException>(() => factors.Precondition(ones(2, 2), 0));
        Assert.Contains("EIGENVALUE_CORRECTION", error.Message, StringComparison.Ordinal);
    }

    private static void AssertReconstructs(Tensor vectors, Tensor values, double[,] sum, long count)
    {
        var reconstructed = Matrix(vectors.matmul(diag(values)).matmul(vectors.t()));
        var n = sum.GetLength(0);
        var expected = new double[n, n];
        for (var i = 0; i < n; i++)
            for (var j = 0; j < n; j++)
                expected[i, j] = sum[i, j] / count;
        AssertClose(expected, reconstructed, 1e-6);
    }

    private static void AssertClose(double[,] expected, double[,] actual, double tolerance)
    {
        double maxAbs = 0, maxDiff = 0;
        for (var i = 0; i < expected.GetLength(0); i++)
            for (var j = 0; j < expected.GetLength(1); j++)
            {
                maxAbs = Math.Max(maxAbs, Math.Abs(expected[i, j]));
                maxDiff = Math.Max(maxDiff, Math.Abs(expected[i, j] - actual[i, j]));
            }
        Assert.True(maxDiff <= tolerance * Math.Max(maxAbs, 1e-30), $"relative error {maxDiff / maxAbs}");
    }

    internal static double[,] Matrix(Tensor t)
    {
        var data = t.to(ScalarType.Float64).contiguous().cpu().data<double>().ToArray();
        var (r, c) = ((int)t.shape[0], (int)t.shape[1]);
        var m = new double[r, c];
        for (var i = 0; i < r; i++)
            for (var j = 0; j < c; j++)
                m[i, j] = data[i * c + j];
        return m;
    }

    private static double[,] Transpose(double[,] m)
    {
        var r = new double[m.GetLength(1), m.GetLength(0)];
        for (var i = 0; i < m.GetLength(0); i++)
            for (var j = 0; j < m.GetLength(1); j++)
                r[j, i] = m[i, j];
        return r;
    }

    private static double[,] Multiply(double[,] a, double[,] b)
    {
        var r = new double[a.GetLength(0), b.GetLength(1)];
        for (var i = 0; i < a.GetLength(0); i++)
            for (var k = 0; k < a.GetLength(1); k++)
                for (var j = 0; j < b.GetLength(1); j++)
                    r[i, j] += a[i, k] * b[k, j];
        return r;
    }

    private static double[,] Kronecker(double[,] a, double[,] b)
    {
        var (ar, ac, br, bc) = (a.GetLength(0), a.GetLength(1), b.GetLength(0), b.GetLength(1));
        var r = new double[ar * br, ac * bc];
        for (var i = 0; i < ar; i++)
            for (var j = 0; j < ac; j++)
                for (var k = 0; k < br; k++)
                    for (var l = 0; l < bc; l++)
                        r[i * br + k, j * bc + l] = a[i, j] * b[k, l];
        return r;
    }
}
