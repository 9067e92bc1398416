using System.Diagnostics;
using Grpc.Core;
using Grpc.Net.Client;
using Infra.Contracts.Gradients.V1;
using Infra.Contracts.Scoring.V1;
using Infra.Core.Checkpoints;
using Infra.Torch.Model;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace Infra.ServiceDefaults.Tests;

/// <summary>
/// A keyed GradientService forwarding into a keyed ScoringService (both real, on loopback Kestrel, a seeded
/// tiny Qwen2), with in-memory telemetry exporters: the forward carries the key, and the request, client and
/// domain instruments report what happened.
/// </summary>
public sealed class PipelineTelemetryTests : IDisposable
{
    private static readonly HfModelConfig Config = TinyModelConfigs.Service with { MaxPositionEmbeddings = 256 };

    private static readonly Contracts.Gradients.V1.ProjectionSpec Projection = new() { KIn = 4, KOut = 4, Seed = 3 };

    private readonly string _root = LoopbackHosts.TempFolder("infra-otel-");

    public void Dispose() => Directory.Delete(_root, recursive: true);

    [Fact]
    public async Task One_call_gives_a_server_span_and_the_request_duration_metric()
    {
        var builder = LoopbackHosts.ScoringBuilder(Path.Combine(_root, "store"));
        var (activities, metrics) = TestHosts.CaptureTelemetry(builder);
        LoopbackHosts.ListenLoopback(builder);
        var (app, address) = await LoopbackHosts.StartScoringAsync(builder);
        await using var _ = app;
        using var channel = GrpcChannel.ForAddress(address);
        await new ScoringService.ScoringServiceClient(channel).StoreInfoAsync(new StoreInfoRequest());
        Flush(app);

        var span = Assert.Single(activities, a => a.Kind == ActivityKind.Server);
        Assert.Equal("/infra.scoring.v1.ScoringService/StoreInfo", span.GetTagItem("url.path"));
        var duration = Metric(metrics, "http.server.request.duration");
        Assert.Equal(1, HistogramCount(duration));
    }

    [Fact]
    public async Task Forwarding_carries_the_key_and_the_meters_count_it()
    {
        var model = Path.Combine(_root, "model");
        SeededCheckpoint.Write(model, Config, seed: 5);
        var keyed = new Dictionary<string, string?> { ["Security:ApiKey"] = TestHosts.Key };

        var scoringBuilder = LoopbackHosts.ScoringBuilder(Path.Combine(_root, "store"), keyed);
        var (scoringActivities, scoringMetrics) = TestHosts.CaptureTelemetry(scoringBuilder);
        LoopbackHosts.ListenLoopback(scoringBuilder);
        var (scoringApp, scoringAddress) = await LoopbackHosts.StartScoringAsync(scoringBuilder);
        await using var s = scoringApp;

        // The GradientService's own key doubles as the forward key (Security:ForwardApiKey unset).
        var gradientBuilder = LoopbackHosts.GradientBuilder(model, Path.Combine(_root, "factors"), keyed);
        var (gradientActivities, gradientMetrics) = TestHosts.CaptureTelemetry(gradientBuilder);
        LoopbackHosts.ListenLoopback(gradientBuilder);
        var (gradientApp, gradientAddress) = await LoopbackHosts.StartGradientsAsync(gradientBuilder);
        await using var g = gradientApp;

        using var gradientChannel = InfraChannel.Create(gradientAddress, TestHosts.Key);
        var gradients = new GradientService.GradientServiceClient(gradientChannel);
        var examples = Enumerable.Range(0, 6).Select(i => new Example
        {
            Id = $"ex{i}", Prompt = $"What is {i} + {i}?", Response = $"{i} + {i} = {2 * i}.", Domain = i % 2 == 0 ? "math" : "code",
        }).ToList();
        List<ComputeGradientsResponse> replies;
        using (var call = gradients.ComputeGradients())
        {
            await call.RequestStream.WriteAsync(new ComputeGradientsRequest
            {
                Options = new GradientOptions
                {
                    Projection = Projection, IncludeExampleGradient = true, BatchSize = 4,
                    ForwardTo = scoringAddress.ToString(), ForwardStoreDtype = WireDtype.Float32,
                },
            });
            foreach (var e in examples) await call.RequestStream.WriteAsync(new ComputeGradientsRequest { Example = e });
            await call.RequestStream.CompleteAsync();
            replies = await call.ResponseStream.ReadAllAsync().ToListAsync();
        }
        Assert.Equal((6ul, 0ul, 6ul), (replies[^1].Forwarded.Stored, replies[^1].Forwarded.Skipped, replies[^1].Forwarded.StoreExamples));
        var tokens = replies.Last(r => r.ItemCase == ComputeGradientsResponse.ItemOneofCase.Progress).Progress.TokensDone;

        // Score the store against one query: 6 examples x 1 query scored.
        using var scoringChannel = InfraChannel.Create(scoringAddress, TestHosts.Key);
        var scoring = new ScoringService.ScoringServiceClient(scoringChannel);
        var queryRequest = new ComputeQueryGradientsRequest { Projection = Projection, Queries = { examples[0] } };
        List<ComputeQueryGradientsResponse> chunks;
        using (var call = gradients.ComputeQueryGradients(queryRequest)) chunks = await call.ResponseStream.ReadAllAsync().ToListAsync();
        using (var register = scoring.RegisterQueries())
        {
            await register.RequestStream.WriteAsync(new RegisterQueriesRequest { Header = new QuerySetHeader { Name = "q", Queries = { new QueryInfo { Id = examples[0].Id } } } });
            foreach (var c in chunks) await register.RequestStream.WriteAsync(new RegisterQueriesRequest { Chunk = c });
            await register.RequestStream.CompleteAsync();
            await register;
        }
        using (var score = scoring.Score(new ScoreRequest { QuerySet = "q", TopK = 3 }))
            Assert.Equal(6ul, (await score.ResponseStream.ReadAllAsync().ToListAsync()).Single(r => r.ItemCase == ScoreResponse.ItemOneofCase.Result).Result.Scored);

        Flush(gradientApp);
        Flush(scoringApp);
        Assert.Equal(6, SumLong(Metric(gradientMetrics, "infra.gradients.examples")));
        Assert.Equal((long)tokens, SumLong(Metric(gradientMetrics, "infra.gradients.tokens")));
        Assert.Equal(6, GaugeLong(Metric(scoringMetrics, "infra.scoring.store.examples")));
        // The bytes gauge is the shard files the manifest lists.
        using (var manifest = System.Text.Json.JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(_root, "store", "manifest.json"))))
        {
            var listed = manifest.RootElement.GetProperty("shards").EnumerateArray()
                .Sum(shard => shard.GetProperty("files").EnumerateArray().Sum(f => f.GetProperty("bytes").GetInt64()));
            Assert.True(listed > 0);
            Assert.Equal(listed, GaugeLong(Metric(scoringMetrics, "infra.scoring.store.bytes")));
        }
        Assert.Equal(6, SumLong(Metric(scoringMetrics, "infra.scoring.examples_scored")));
        // The forward is an outgoing gRPC call: a client span, and http.client.request.duration on the GradientService.
        var client = Assert.Single(gradientActivities, a => a.Kind == ActivityKind.Client && a.DisplayName.Contains("Ingest", StringComparison.Ordinal));
        // The trace context travels with the forward: the store's Ingest span is the client span's child.
        var server = Assert.Single(scoringActivities, a => a.Kind == ActivityKind.Server && Equals(a.GetTagItem("url.path"), "/infra.scoring.v1.ScoringService/Ingest"));
        Assert.Equal(client.TraceId, server.TraceId);
        Assert.Equal(client.SpanId, server.ParentSpanId);
        Assert.True(HistogramCount(Metric(gradientMetrics, "http.client.request.duration")) >= 1);
    }

    [Fact]
    public async Task A_forward_with_the_wrong_key_is_refused_by_the_store()
    {
        var model = Path.Combine(_root, "model");
        SeededCheckpoint.Write(model, Config, seed: 5);
        var scoringBuilder = LoopbackHosts.ScoringBuilder(Path.Combine(_root, "store"), new Dictionary<string, string?> { ["Security:ApiKey"] = TestHosts.Key });
        LoopbackHosts.ListenLoopback(scoringBuilder);
        var (scoringApp, scoringAddress) = await LoopbackHosts.StartScoringAsync(scoringBuilder);
        await using var s = scoringApp;
        var gradientBuilder = LoopbackHosts.GradientBuilder(model, Path.Combine(_root, "factors"),
            new Dictionary<string, string?> { ["Security:ForwardApiKey"] = "another-key-of-16-chars" });
        LoopbackHosts.ListenLoopback(gradientBuilder);
        var (gradientApp, gradientAddress) = await LoopbackHosts.StartGradientsAsync(gradientBuilder);
        await using var g = gradientApp;

        using var channel = GrpcChannel.ForAddress(gradientAddress);
        using var call = new GradientService.GradientServiceClient(channel).ComputeGradients();
        await call.RequestStream.WriteAsync(new ComputeGradientsRequest
        {
            Options = new GradientOptions { Projection = Projection, IncludeExampleGradient = true, ForwardTo = scoringAddress.ToString() },
        });
        try
        {
            await call.RequestStream.WriteAsync(new ComputeGradientsRequest { Example = new Example { Id = "a", Prompt = "1+1?", Response = "2" } });
            await call.RequestStream.CompleteAsync();
        }
        catch (RpcException)
        {
            // The service may end the call while we are still writing; its status is read from the response below.
        }
        var error = await Assert.ThrowsAsync<RpcException>(async () => await call.ResponseStream.ReadAllAsync().ToListAsync());
        Assert.Equal(Grpc.Core.StatusCode.Unauthenticated, error.StatusCode);
        Assert.Contains($"forwarding to the ScoringService at {scoringAddress} failed", error.Status.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_forward_to_an_unreachable_store_is_unavailable_naming_it()
    {
        var model = Path.Combine(_root, "model");
        SeededCheckpoint.Write(model, Config, seed: 5);
        var gradientBuilder = LoopbackHosts.GradientBuilder(model, Path.Combine(_root, "factors"));
        LoopbackHosts.ListenLoopback(gradientBuilder);
        var (gradientApp, gradientAddress) = await LoopbackHosts.StartGradientsAsync(gradientBuilder);
        await using var g = gradientApp;

        using var channel = GrpcChannel.ForAddress(gradientAddress);
        using var call = new GradientService.GradientServiceClient(channel).ComputeGradients();
        var error = await Assert.ThrowsAsync<RpcException>(async () =>
        {
            await call.RequestStream.WriteAsync(new ComputeGradientsRequest
            {
                Options = new GradientOptions { Projection = Projection, IncludeExampleGradient = true, ForwardTo = "http://127.0.0.1:1" },
            });
            await call.RequestStream.WriteAsync(new ComputeGradientsRequest { Example = new Example { Id = "a", Prompt = "1+1?", Response = "2" } });
            await call.RequestStream.CompleteAsync();
            await call.ResponseStream.ReadAllAsync().ToListAsync();
        });
        Assert.True(error.StatusCode == Grpc.Core.StatusCode.Unavailable, error.ToString());
        Assert.Contains("forwarding to the ScoringService at http://127.0.0.1:1/ failed", error.Status.Detail, StringComparison.Ordinal);
    }

    private static void Flush(WebApplication app)
    {
        app.Services.GetRequiredService<TracerProvider>().ForceFlush();
        app.Services.GetRequiredService<MeterProvider>().ForceFlush();
    }

    // The in-memory exporter appends a snapshot per flush: the last one holds the cumulative values.
    private static Metric Metric(List<Metric> metrics, string name) => metrics.Last(m => m.Name == name);

    private static long SumLong(Metric metric)
    {
        long sum = 0;
        foreach (ref readonly var p in metric.GetMetricPoints()) sum += p.GetSumLong();
        return sum;
    }

    private static long GaugeLong(Metric metric)
    {
        foreach (ref readonly var p in metric.GetMetricPoints()) return p.GetGaugeLastValueLong();
        throw new InvalidOperationException($"{metric.Name} has no points");
    }

    private static long HistogramCount(Metric metric)
    {
        long count = 0;
        foreach (ref readonly var p in metric.GetMetricPoints()) count += p.GetHistogramCount();
        return count;
    }
}
