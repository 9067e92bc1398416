using Infra.Core.Errors;
using Infra.Core.Compression;
using Infra.Core.Linalg;
using Infra.Core.Preconditioning;
using Infra.Core.Store;
using Infra.Core.Tests.Store;

namespace Infra.Core.Tests.Preconditioning;

/// <summary>
/// Each projected preconditioner against a dense computation with explicit Kronecker-structured
/// matrices: H built entry by entry from brute-force statistics, inverted by Gaussian elimination.
/// </summary>
public sealed class PreconditionerEquivalenceTests : IDisposable
{
    private readonly string _root = StoreFixtures.TempFolder();
    private readonly List<StoreExample> _examples;
    private readonly GradientStore _store;

    public PreconditionerEquivalenceTests()
    {
        _examples = Enumerable.Range(0, 9).Select(i => StoreFixtures.Example($"e{i}", 50 + i)).ToList();
        _store = GradientStore.OpenOrCreate(_root, StoreFixtures.Schema(FactorDType.Float32), new GradientStoreOptions { ShardExamples = 4 });
        foreach (var e in _examples) _store.Add(e);
        _store.Flush();
    }

    public void Dispose()
    {
        _store.Dispose();
        Directory.Delete(_root, recursive: true);
    }

    [Theory]
    [InlineData(PreconditionerKind.Identity, null)]
    [InlineData(PreconditionerKind.Diagonal, null)]
    [InlineData(PreconditionerKind.Diagonal, 0.05)]
    [InlineData(PreconditionerKind.Kfac, null)]
    [InlineData(PreconditionerKind.Ekfac, null)]
    [InlineData(PreconditionerKind.Ekfac, 0.3)]
    public void Scores_and_self_influence_equal_the_dense_kronecker_computation(PreconditionerKind kind, double? damping)
    {
        var fitted = PreconditionerFitter.Fit(_store, "p", kind, damping);
        var query = StoreFixtures.Example("q", 999).ExampleGradients;
        var preconditioned = fitted.Precondition(query);

        for (var l = 0; l < StoreFixtures.Layers.Length; l++)
        {
            var layer = StoreFixtures.Layers[l];
            var h = DenseHessian(kind, l, fitted.Layers[l], damping);
            var n = layer.GradientLength;
            foreach (var e in _examples)
            {
                var g = e.ExampleGradients[l].Select(v => (double)v).ToArray();
                var hInvG = Solve(h, g, n);
                var expected = query[l].Select((q, i) => q * hInvG[i]).Sum();
                var actual = preconditioned[l].Select((q, i) => (double)q * g[i]).Sum();
                Assert.True(Math.Abs(actual - expected) <= 1e-5 * Math.Max(Math.Abs(expected), 1e-3), $"{kind} layer {l} {e.Id}: {actual} vs {expected}");
                var self = fitted.Layers[l].SelfInfluence(e.ExampleGradients[l]);
                var selfExpected = g.Select((v, i) => v * hInvG[i]).Sum();
                Assert.True(Math.Abs(self - selfExpected) <= 1e-6 * selfExpected, $"{kind} layer {l} {e.Id} self-influence");
            }
        }
        var total = _examples.Select(e => StoreFixtures.Layers.Select((_, l) => fitted.Layers[l].SelfInfluence(e.ExampleGradients[l])).Sum()).ToArray();
        for (var i = 0; i < total.Length; i++) Assert.Equal(total[i], fitted.SelfInfluence[i], 9);
    }

    [Fact]
    public void Kfac_and_ekfac_need_token_factors_and_an_empty_store_is_refused()
    {
        var root = StoreFixtures.TempFolder();
        try
        {
            using var store = GradientStore.OpenOrCreate(root, StoreFixtures.Schema(tokenFactors: false));
            Assert.Contains("is empty", Assert.Throws<StoreException>(() => PreconditionerFitter.Fit(store, "x", PreconditionerKind.Diagonal)).Message, StringComparison.Ordinal);
            store.Add(StoreFixtures.Example("a", 1, tokenFactors: false));
            store.Flush();
            var error = Assert.Throws<StoreException>(() => PreconditionerFitter.Fit(store, "x", PreconditionerKind.Ekfac));
            Assert.Contains("needs per-token factors", error.Message, StringComparison.Ordinal);
            Assert.Equal(PreconditionerKind.Diagonal, PreconditionerFitter.Fit(store, "x", PreconditionerKind.Diagonal).Kind);
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    [Fact]
    public void Saved_preconditioners_load_identically_and_conflicts_and_staleness_are_refused()
    {
        var fitted = PreconditionerFitter.Fit(_store, "ek", PreconditionerKind.Ekfac);
        PreconditionerRepository.Save(_store, fitted, overwrite: false);
        var loaded = PreconditionerRepository.Load(_store, "ek");
        var query = StoreFixtures.Example("q", 7).ExampleGradients;
        Assert.Equal(fitted.Precondition(query)[1], loaded.Precondition(query)[1]);
        Assert.Equal(fitted.SelfInfluence, loaded.SelfInfluence);

        PreconditionerRepository.Save(_store, fitted, overwrite: false); // same arguments: fine
        var other = PreconditionerFitter.Fit(_store, "ek", PreconditionerKind.Ekfac, damping: 0.5);
        Assert.Contains("needs overwrite", Assert.Throws<StoreException>(() => PreconditionerRepository.Save(_store, other, overwrite: false)).Message, StringComparison.Ordinal);
        PreconditionerRepository.Save(_store, other, overwrite: true);
        Assert.Equal(0.5, PreconditionerRepository.Load(_store, "ek").Layers[0].Damping);

        Assert.Throws<DomainException>(() => PreconditionerRepository.Load(_store, "nope"));
        _store.Add(StoreFixtures.Example("late", 1234));
        _store.Flush();
        Assert.Contains("refit", Assert.Throws<StoreException>(() => PreconditionerRepository.Load(_store, "ek")).Message, StringComparison.Ordinal);
    }

    // H for one layer, over row-major vec(G) (index i * k_in + j), built from brute-force statistics.
    private double[] DenseHessian(PreconditionerKind kind, int l, LayerPreconditioner fitted, double? damping)
    {
        var layer = StoreFixtures.Layers[l];
        var (kIn, kOut, n) = (layer.KIn, layer.KOut, layer.GradientLength);
        var h = new double[n * n];
        if (kind == PreconditionerKind.Identity)
        {
            for (var i = 0; i < n; i++) h[i * n + i] = 1;
            return h;
        }
        var grads = _examples.Select(e => e.ExampleGradients[l].Select(v => (double)v).ToArray()).ToList();
        if (kind == PreconditionerKind.Diagonal)
        {
            var lambda = Enumerable.Range(0, n).Select(i => grads.Average(g => g[i] * g[i])).ToArray();
            AssertRelative(damping ?? 0.1 * lambda.Average(), fitted.Damping);
            for (var i = 0; i < n; i++) h[i * n + i] = lambda[i] + fitted.Damping;
            return h;
        }
        // Token covariances by brute force.
        var a = new double[kIn * kIn];
        var s = new double[kOut * kOut];
        long tokens = 0;
        foreach (var e in _examples)
        {
            var t = e.TokenIds.Length;
            tokens += t;
            for (var r = 0; r < t; r++)
            {
                for (var i = 0; i < kIn; i++)
                    for (var j = 0; j < kIn; j++)
                        a[i * kIn + j] += (double)e.TokenInputs![l][r * kIn + i] * e.TokenInputs![l][r * kIn + j];
                for (var i = 0; i < kOut; i++)
                    for (var j = 0; j < kOut; j++)
                        s[i * kOut + j] += (double)e.TokenOutputGradients![l][r * kOut + i] * e.TokenOutputGradients![l][r * kOut + j];
            }
        }
        for (var i = 0; i < a.Length; i++) a[i] /= tokens;
        for (var i = 0; i < s.Length; i++) s[i] /= tokens;
        var perExample = tokens / (double)_examples.Count;
        if (kind == PreconditionerKind.Kfac)
        {
            // H = T̄ (S ⊗ A) + λ I, explicitly: H[(i,j),(p,q)] = T̄ S_ip A_jq.
            var lambdaMean = 0.0;
            for (var i = 0; i < kOut; i++)
                for (var j = 0; j < kIn; j++)
                    for (var p = 0; p < kOut; p++)
                        for (var q = 0; q < kIn; q++)
                            h[(i * kIn + j) * n + p * kIn + q] = perExample * s[i * kOut + p] * a[j * kIn + q];
            for (var i = 0; i < n; i++) lambdaMean += h[i * n + i] / n; // trace/n = mean of the eigenvalues σ_i α_j T̄
            AssertRelative(damping ?? 0.1 * lambdaMean, fitted.Damping);
            for (var i = 0; i < n; i++) h[i * n + i] += fitted.Damping;
            return h;
        }
        // EK-FAC: K = U_S ⊗ U_A from the covariances' eigenvectors, Λ by brute force, H = K diag(Λ + λ) Kᵀ.
        var (_, uA) = SymmetricEigen.Decompose(a, kIn);
        var (_, uS) = SymmetricEigen.Decompose(s, kOut);
        var k = new double[n * n];
        for (var i = 0; i < kOut; i++)
            for (var j = 0; j < kIn; j++)
                for (var p = 0; p < kOut; p++)
                    for (var q = 0; q < kIn; q++)
                        k[(i * kIn + j) * n + p * kIn + q] = uS[i * kOut + p] * uA[j * kIn + q];
        var lambdaEk = new double[n];
        foreach (var g in grads)
            for (var c = 0; c < n; c++)
            {
                double r = 0;
                for (var row = 0; row < n; row++) r += k[row * n + c] * g[row];
                lambdaEk[c] += r * r / grads.Count;
            }
        AssertRelative(damping ?? 0.1 * lambdaEk.Average(), fitted.Damping);
        for (var r = 0; r < n; r++)
            for (var c = 0; c < n; c++)
            {
                double sum = 0;
                for (var m = 0; m < n; m++) sum += k[r * n + m] * (lambdaEk[m] + fitted.Damping) * k[c * n + m];
                h[r * n + c] = sum;
            }
        return h;
    }

    // Covariances are reduced in fp32 blocks before joining the float64 sum: agreement to ~1e-7 relative.
    private static void AssertRelative(double expected, double actual) =>
        Assert.True(Math.Abs(expected - actual) <= 1e-6 * Math.Abs(expected), $"{actual} vs {expected}");

    // Gaussian elimination with partial pivoting: x = H⁻¹ b.
    private static double[] Solve(double[] h, double[] b, int n)
    {
        var m = (double[])h.Clone();
        var x = (double[])b.Clone();
        for (var col = 0; col < n; col++)
        {
            var pivot = Enumerable.Range(col, n - col).MaxBy(r => Math.Abs(m[r * n + col]));
            if (pivot != col)
            {
                for (var c = 0; c < n; c++) (m[col * n + c], m[pivot * n + c]) = (m[pivot * n + c], m[col * n + c]);
                (x[col], x[pivot]) = (x[pivot], x[col]);
            }
            for (var r = col + 1; r < n; r++)
            {
                var f = m[r * n + col] / m[col * n + col];
                if (f == 0) continue;
                for (var c = col; c < n; c++) m[r * n + c] -= f * m[col * n + c];
                x[r] -= f * x[col];
            }
        }
        for (var r = n - 1; r >= 0; r--)
        {
            var sum = x[r];
            for (var c = r + 1; c < n; c++) sum -= m[r * n + c] * x[c];
            x[r] = sum / m[r * n + r];
        }
        return x;
    }
}
