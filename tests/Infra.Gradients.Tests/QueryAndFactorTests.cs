using Grpc.Core;
using Infra.Contracts.Gradients.V1;
using Infra.Torch.Ekfac;
using WireProjection = Infra.Contracts.Gradients.V1.ProjectionSpec;

namespace Infra.Gradients.Tests;

/// <summary>Query gradients and full-space EK-FAC fitting through the service.</summary>
public sealed class QueryAndFactorTests(LoopbackHostFixture fixture) : IClassFixture<LoopbackHostFixture>
{
    private readonly GradientService.GradientServiceClient _client = new(fixture.Host.Channel);

    private static readonly Example[] Queries =
    [
        GradientClient.Chat("q1", "What is 7 * 6?", "7 * 6 = 42."),
        GradientClient.Chat("q2", "Reverse 'abc' in Python.", "'abc'[::-1] gives 'cba'.", "code"),
    ];

    private static IEnumerable<Example> FittingCorpus() => Enumerable.Range(0, 12).Select(i =>
        GradientClient.Chat($"fit{i}", $"What is {i} + {i}?", $"{i} + {i} = {2 * i}. The answer is {2 * i}."));

    [Fact]
    public async Task Aggregated_query_gradient_is_the_mean_of_the_per_query_gradients()
    {
        var request = new ComputeQueryGradientsRequest { Projection = new WireProjection { KIn = 8, KOut = 8 } };
        request.Queries.AddRange(Queries);
        var perQuery = await GradientClient.QueryAsync(_client, request);
        request.Aggregate = true;
        var aggregate = await GradientClient.QueryAsync(_client, request);

        Assert.Equal(["q1", "q2"], perQuery.Gradients.Keys.Order());
        Assert.All(perQuery.Measurements.Values, f => Assert.True(f < 0, "mean log-likelihood is negative"));
        Assert.Equal((perQuery.Measurements["q1"] + perQuery.Measurements["q2"]) / 2, aggregate.Measurements[""], 4);
        for (var l = 0; l < 6; l++)
        {
            var mean = perQuery.Gradients["q1"][l].Zip(perQuery.Gradients["q2"][l], (a, b) => (a + b) / 2).ToArray();
            var actual = aggregate.Gradients[""][l];
            Assert.Equal(64, actual.Length);
            for (var i = 0; i < mean.Length; i++) Assert.Equal(mean[i], actual[i], 5);
        }
    }

    [Fact]
    public async Task Factors_fit_in_two_passes_then_precondition_queries_and_mismatches_are_refused()
    {
        var name = "fit-" + Guid.NewGuid().ToString("N")[..8];
        var beforeCovariance = await Assert.ThrowsAsync<RpcException>(() => GradientClient.FitAsync(_client,
            new FitFactorsOptions { Name = name, Phase = FitPhase.EigenvalueCorrection }, FittingCorpus()));
        Assert.Equal(StatusCode.NotFound, beforeCovariance.StatusCode);

        var covariance = await GradientClient.FitAsync(_client, new FitFactorsOptions { Name = name, Phase = FitPhase.Covariance, BatchSize = 5 }, FittingCorpus());
        // One progress per full batch of 5: 5, 10, 12.
        var progress = covariance.Where(r => r.ItemCase == FitFactorsResponse.ItemOneofCase.Progress).ToList();
        Assert.Equal([5ul, 10ul, 12ul], progress.Select(p => p.Progress.ExamplesDone));
        Assert.Equal(12ul, progress[^1].Progress.ExamplesDone);
        var summary = covariance.Last().Summary;
        Assert.Equal(12ul, summary.Examples);
        // Format 3: one tensor file per decoder layer's group, each named in the manifest.
        var manifest = new EkfacFactorStore(Path.GetDirectoryName(summary.Path)!).ReadManifest(name)!;
        Assert.Equal(EkfacFactorsManifest.CurrentVersion, manifest.FormatVersion);
        Assert.True(manifest.Files!.Count > 1);
        Assert.All(manifest.Files!, f => Assert.True(File.Exists(Path.Combine(summary.Path, f.File))));
        Assert.False(File.Exists(Path.Combine(summary.Path, EkfacFactorsManifest.SingleFile)));

        var query = new ComputeQueryGradientsRequest { FactorsName = name, Projection = new WireProjection { KIn = 8, KOut = 8 } };
        query.Queries.AddRange(Queries);
        var uncorrected = await Assert.ThrowsAsync<RpcException>(() => GradientClient.QueryAsync(_client, query));
        Assert.Equal(StatusCode.FailedPrecondition, uncorrected.StatusCode);
        Assert.Contains("EIGENVALUE_CORRECTION", uncorrected.Status.Detail, StringComparison.Ordinal);

        var corrected = await GradientClient.FitAsync(_client, new FitFactorsOptions { Name = name, Phase = FitPhase.EigenvalueCorrection }, FittingCorpus());
        Assert.Equal(FitPhase.EigenvalueCorrection, corrected.Last().Summary.Phase);

        var preconditioned = await GradientClient.QueryAsync(_client, query);
        Assert.True(preconditioned.Preconditioned["q1"]);
        query.FactorsName = "";
        var plain = await GradientClient.QueryAsync(_client, query);
        Assert.False(plain.Preconditioned["q1"]);
        Assert.NotEqual(plain.Gradients["q1"][0], preconditioned.Gradients["q1"][0]);

        var again = await Assert.ThrowsAsync<RpcException>(() => GradientClient.FitAsync(_client,
            new FitFactorsOptions { Name = name, Phase = FitPhase.Covariance }, FittingCorpus()));
        Assert.Equal(StatusCode.FailedPrecondition, again.StatusCode);
        Assert.Contains("set overwrite", again.Status.Detail, StringComparison.Ordinal);

        query.FactorsName = "no-such-factors";
        var unknown = await Assert.ThrowsAsync<RpcException>(() => GradientClient.QueryAsync(_client, query));
        Assert.Equal(StatusCode.NotFound, unknown.StatusCode);
    }

    [Fact]
    public async Task Factors_of_another_model_are_refused()
    {
        var name = "other-" + Guid.NewGuid().ToString("N")[..8];
        await GradientClient.FitAsync(_client, new FitFactorsOptions { Name = name, Phase = FitPhase.Covariance }, FittingCorpus());
        var manifestPath = Path.Combine(fixture.Host.Root, "factors", name, "factors.json");
        var text = await File.ReadAllTextAsync(manifestPath);
        var info = await _client.GetModelInfoAsync(new GetModelInfoRequest());
        await File.WriteAllTextAsync(manifestPath, text.Replace(info.Fingerprint, new string('0', 64), StringComparison.Ordinal));
        var error = await Assert.ThrowsAsync<RpcException>(() => GradientClient.FitAsync(_client,
            new FitFactorsOptions { Name = name, Phase = FitPhase.EigenvalueCorrection }, FittingCorpus()));
        Assert.Equal(StatusCode.FailedPrecondition, error.StatusCode);
        Assert.Contains("were fitted on model 000000000000", error.Status.Detail, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("../escape")]
    [InlineData("")]
    [InlineData("a/b")]
    public async Task Factor_names_that_could_escape_the_folder_are_refused(string name)
    {
        var error = await Assert.ThrowsAsync<RpcException>(() => GradientClient.FitAsync(_client,
            new FitFactorsOptions { Name = name, Phase = FitPhase.Covariance }, FittingCorpus()));
        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
    }

    [Fact]
    public async Task Empty_query_sets_are_refused()
    {
        var error = await Assert.ThrowsAsync<RpcException>(() => GradientClient.QueryAsync(_client, new ComputeQueryGradientsRequest()));
        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        Assert.Contains("no queries", error.Status.Detail, StringComparison.Ordinal);
    }
}
