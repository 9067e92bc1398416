using Grpc.Core;
using Infra.Contracts.Gradients.V1;
using Infra.Core.Checkpoints;
using Infra.Core.Compression;
using Infra.Core.Text;
using Infra.Torch.Gradients;
using Infra.Torch.Model;
using static TorchSharp.torch;
using ChatFormat = Infra.Contracts.Gradients.V1.ChatFormat;
using CoreProjection = Infra.Core.Compression.ProjectionSpec;
using WireProjection = Infra.Contracts.Gradients.V1.ProjectionSpec;

namespace Infra.Gradients.Tests;

/// <summary>The GradientService over a real loopback port against the engine run directly on the same checkpoint.</summary>
public sealed class GradientServiceTests(LoopbackHostFixture fixture) : IClassFixture<LoopbackHostFixture>
{
    private readonly GradientService.GradientServiceClient _client = new(fixture.Host.Channel);

    private static readonly Example[] Corpus =
    [
        GradientClient.Chat("m1", "What is 12 + 30?", "12 + 30 = 42. The answer is 42."),
        GradientClient.Chat("c1", "Write f(x) = x * 2 in Python.", "def f(x):\n    return x * 2", "code", 2),
        GradientClient.Chat("m2", "Solve 3x = 12.", "Divide both sides by 3: x = 4. Wait, let me verify: 3 * 4 = 12.", "math", 3),
        GradientClient.Chat("m3", "Half of 90?", "45", "math", 1),
        GradientClient.Chat("c2", "What does print(len('abc')) output?", "len('abc') is 3, so it prints 3.", "code", 1),
    ];

    [Fact]
    public async Task Model_info_reports_tracked_layers_dims_and_the_checkpoint_fingerprint()
    {
        var info = await _client.GetModelInfoAsync(new GetModelInfoRequest { Projection = new WireProjection { KIn = 8, KOut = 16 } });
        using var checkpoint = CheckpointFolder.Open(fixture.Host.ModelPath);
        Assert.Equal(checkpoint.ComputeFingerprint(), info.Fingerprint);
        Assert.Equal("qwen2", info.ModelType);
        Assert.Equal("cpu", info.Device.ToLowerInvariant());
        Assert.Equal(WireDtype.Float32, info.ComputeDtype);
        // Gradients:DefaultBatchSize (the test host sets 3): where a client spreading one call over several workers cuts batches.
        Assert.Equal(3u, info.DefaultBatchSize);
        Assert.Equal(6, info.Layers.Count);
        Assert.Equal("model.layers.0.mlp.gate_proj", info.Layers[0].Name);
        Assert.Equal((32u, 64u, 8u, 16u), (info.Layers[0].DIn, info.Layers[0].DOut, info.Layers[0].KIn, info.Layers[0].KOut));
        Assert.Equal((64u, 32u, 8u, 16u), (info.Layers[2].DIn, info.Layers[2].DOut, info.Layers[2].KIn, info.Layers[2].KOut));
    }

    [Fact]
    public async Task Streamed_factors_equal_the_engine_run_directly_on_the_same_checkpoint()
    {
        var options = new GradientOptions
        {
            Projection = new WireProjection { KIn = 16, KOut = 8, Seed = 3 },
            IncludeTokenFactors = true,
            IncludeExampleGradient = true,
            BatchSize = 2,
        };
        var (received, progress) = await GradientClient.ComputeAsync(_client, options, Corpus);
        Assert.Equal(Corpus.Select(e => e.Id), received.Select(r => r.Header.Id));
        Assert.Equal((ulong)Corpus.Length, progress!.ExamplesDone);

        using var checkpoint = CheckpointFolder.Open(fixture.Host.ModelPath);
        using var model = CheckpointLoader.Load(checkpoint, CPU, ScalarType.Float32);
        var tokenizer = HfTokenizer.LoadFolder(fixture.Host.ModelPath);
        var layers = new LayerSelection().Select(model);
        using var projector = new Projector(layers, new CoreProjection { KIn = 16, KOut = 8, Seed = 3 }, CPU);
        var engine = new GradientEngine(new FactorComputer(model, layers), projector);
        for (var i = 0; i < Corpus.Length; i++)
        {
            var encoded = ChatTemplate.Build(tokenizer, null, Corpus[i].Prompt, Corpus[i].Response, Core.Text.ChatFormat.Qwen25);
            var expected = engine.Compute([new TokenizedExample(Corpus[i].Id, encoded.Ids, encoded.LossMask)])[0];
            var header = received[i].Header;
            Assert.Equal(encoded.Ids, header.TokenIds);
            Assert.Equal(encoded.RenderedText, header.RenderedText);
            Assert.Equal(encoded.CharStarts, header.CharStarts);
            Assert.Equal(Corpus[i].Domain, header.Domain);
            Assert.Equal(Corpus[i].Difficulty, header.Difficulty);
            Assert.Equal(expected.Loss, header.Loss, 4);
            Assert.Equal(header.TokenLosses.Sum(), header.Loss, 4);
            for (var l = 0; l < layers.Count; l++)
            {
                AssertClose(expected.Layers[l].Inputs!, received[i].Factors[(l, FactorKind.InputActivation)]);
                AssertClose(expected.Layers[l].OutputGradients!, received[i].Factors[(l, FactorKind.OutputGradient)]);
                AssertClose(expected.Layers[l].ExampleGradient!, received[i].Factors[(l, FactorKind.ExampleGradient)]);
            }
        }
    }

    [Theory]
    [InlineData(WireDtype.Bfloat16, 1e-2)]
    [InlineData(WireDtype.Float16, 1e-3)]
    [InlineData(WireDtype.Int8, 2e-2)]
    public async Task Quantised_wire_dtypes_stay_close_to_fp32(WireDtype dtype, double tolerance)
    {
        GradientOptions Options(WireDtype d) => new() { IncludeExampleGradient = true, IncludeTokenFactors = true, Dtype = d, Projection = new WireProjection { KIn = 32, KOut = 32 } };
        var exact = (await GradientClient.ComputeAsync(_client, Options(WireDtype.Float32), Corpus.Take(2))).Examples;
        var quantised = (await GradientClient.ComputeAsync(_client, Options(dtype), Corpus.Take(2))).Examples;
        for (var i = 0; i < 2; i++)
        {
            foreach (var (key, values) in exact[i].Factors)
            {
                var error = RelativeError(quantised[i].Factors[key], values);
                Assert.True(error < tolerance, $"{dtype} {key}: {error}");
            }
            Assert.True(quantised[i].PayloadBytes < exact[i].PayloadBytes);
        }
    }

    [Fact]
    public async Task Pre_tokenised_examples_and_plain_format_are_accepted()
    {
        var tokens = new TokenizedText();
        tokens.TokenIds.AddRange([257, 10, 20, 30, 40, 258]);
        tokens.LossMask.AddRange([0, 0, 0, 1, 1, 1]);
        var options = new GradientOptions { IncludeExampleGradient = true, ChatFormat = ChatFormat.Plain };
        var (received, _) = await GradientClient.ComputeAsync(_client, options,
            [new Example { Id = "tok", Tokens = tokens }, GradientClient.Chat("plain", "1+1=", "2")]);
        Assert.Equal([257, 10, 20, 30, 40, 258], received[0].Header.TokenIds);
        Assert.Equal(3u, received[0].Header.NumLossTokens);
        Assert.DoesNotContain("<|im_start|>", received[1].Header.RenderedText, StringComparison.Ordinal);
        Assert.Equal(2 + 0u, received[1].Header.NumLossTokens); // "2" and the appended EOS
    }

    [Theory]
    [InlineData("", "p", "r", "the id is missing")]
    [InlineData("x1", "p", "", "example 'x1': the response is empty")]
    [InlineData("x2", "", "r", "example 'x2': the prompt is empty")]
    public async Task Bad_examples_get_invalid_argument_naming_the_example(string id, string prompt, string response, string expected)
    {
        var error = await Assert.ThrowsAsync<RpcException>(() => GradientClient.ComputeAsync(_client,
            new GradientOptions { IncludeExampleGradient = true }, [GradientClient.Chat(id, prompt, response)]));
        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        Assert.Contains(expected, error.Status.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_bad_example_after_good_batches_fails_after_their_results_and_frees_the_model()
    {
        // Batch size 1: the good batches are computed (ahead of the writer) before the bad one is reached.
        using var call = _client.ComputeGradients();
        var sending = Task.Run(async () =>
        {
            await call.RequestStream.WriteAsync(new ComputeGradientsRequest { Options = new GradientOptions { IncludeTokenFactors = true, BatchSize = 1 } });
            foreach (var e in Corpus.Take(3).Append(GradientClient.Chat("late", "", "an answer")))
                await call.RequestStream.WriteAsync(new ComputeGradientsRequest { Example = e });
            await call.RequestStream.CompleteAsync();
        });
        var assembler = new Infra.Contracts.Gradients.ExampleAssembler();
        var received = new List<string>();
        var error = await Assert.ThrowsAsync<RpcException>(async () =>
        {
            await foreach (var m in call.ResponseStream.ReadAllAsync())
                if (assembler.Accept(m) is { } done) received.Add(done.Header.Id);
        });
        await sending.ContinueWith(_ => { }, TaskScheduler.Default);
        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        Assert.Contains("example 'late': the prompt is empty", error.Status.Detail, StringComparison.Ordinal);
        Assert.Equal(["m1", "c1", "m2"], received);
        var (ok, _) = await GradientClient.ComputeAsync(_client, new GradientOptions { IncludeExampleGradient = true }, Corpus.Take(2));
        Assert.Equal(2, ok.Count);
    }

    [Fact]
    public async Task Token_ids_out_of_range_and_over_long_examples_are_refused_and_truncation_is_honoured()
    {
        var tokens = new TokenizedText();
        tokens.TokenIds.AddRange([1, 2, 9999]);
        tokens.LossMask.AddRange([0, 1, 1]);
        var outOfRange = await Assert.ThrowsAsync<RpcException>(() => GradientClient.ComputeAsync(_client,
            new GradientOptions { IncludeExampleGradient = true }, [new Example { Id = "oor", Tokens = tokens }]));
        Assert.Equal(StatusCode.InvalidArgument, outOfRange.StatusCode);
        Assert.Contains("example 'oor': token id 9999 at position 2 is out of range [0, 259)", outOfRange.Status.Detail, StringComparison.Ordinal);

        var longExample = GradientClient.Chat("long", new string('a', 300), new string('b', 400));
        var tooLong = await Assert.ThrowsAsync<RpcException>(() => GradientClient.ComputeAsync(_client,
            new GradientOptions { IncludeExampleGradient = true }, [longExample]));
        Assert.Equal(StatusCode.InvalidArgument, tooLong.StatusCode);
        Assert.Contains("example 'long': is too long", tooLong.Status.Detail, StringComparison.Ordinal);

        var (truncated, _) = await GradientClient.ComputeAsync(_client, new GradientOptions { IncludeExampleGradient = true, Truncate = true }, [longExample]);
        Assert.True(truncated[0].Header.Truncated);
        Assert.Equal(512, truncated[0].Header.TokenIds.Count);
    }

    [Fact]
    public async Task A_stream_without_options_first_is_refused_and_the_service_keeps_serving()
    {
        using (var call = _client.ComputeGradients())
        {
            await call.RequestStream.WriteAsync(new ComputeGradientsRequest { Example = Corpus[0] });
            await call.RequestStream.CompleteAsync();
            var error = await Assert.ThrowsAsync<RpcException>(() => call.ResponseStream.ReadAllAsync().ToListAsync().AsTask());
            Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
            Assert.Contains("the first message must carry GradientOptions", error.Status.Detail, StringComparison.Ordinal);
        }
        var neither = await Assert.ThrowsAsync<RpcException>(() => GradientClient.ComputeAsync(_client, new GradientOptions(), Corpus.Take(1)));
        Assert.Contains("neither token factors nor example gradients", neither.Status.Detail, StringComparison.Ordinal);
        var (ok, _) = await GradientClient.ComputeAsync(_client, new GradientOptions { IncludeExampleGradient = true }, Corpus.Take(1));
        Assert.Single(ok);
    }

    [Fact]
    public async Task A_cancelled_stream_stops_and_the_service_keeps_serving()
    {
        using var cts = new CancellationTokenSource();
        var many = Enumerable.Range(0, 400).Select(i => GradientClient.Chat($"e{i}", "Count to ten.", string.Join(' ', Enumerable.Range(1, 10))));
        using var call = _client.ComputeGradients(cancellationToken: cts.Token);
        await call.RequestStream.WriteAsync(new ComputeGradientsRequest { Options = new GradientOptions { IncludeTokenFactors = true, BatchSize = 1 } });
        var sending = Task.Run(async () =>
        {
            foreach (var e in many) await call.RequestStream.WriteAsync(new ComputeGradientsRequest { Example = e });
        });
        var assembler = new Infra.Contracts.Gradients.ExampleAssembler();
        var done = 0;
        var error = await Assert.ThrowsAnyAsync<Exception>(async () =>
        {
            await foreach (var m in call.ResponseStream.ReadAllAsync(cts.Token))
            {
                if (assembler.Accept(m) is not null && ++done == 3) await cts.CancelAsync();
            }
        });
        Assert.True(error is RpcException { StatusCode: StatusCode.Cancelled } or OperationCanceledException, error.ToString());
        Assert.True(done < 400);
        // The sender may or may not have finished writing before the cancel; either way it ends.
        await sending.ContinueWith(_ => { }, TaskScheduler.Default);
        var (ok, _) = await GradientClient.ComputeAsync(_client, new GradientOptions { IncludeExampleGradient = true }, Corpus.Take(2));
        Assert.Equal(2, ok.Count);
    }

    [Fact]
    public async Task A_passed_deadline_ends_the_stream_with_deadline_exceeded()
    {
        var many = Enumerable.Range(0, 2000).Select(i => GradientClient.Chat($"d{i}", "Count.", string.Join(' ', Enumerable.Range(1, 40))));
        using var call = _client.ComputeGradients(deadline: DateTime.UtcNow.AddMilliseconds(300));
        var sending = Task.Run(async () =>
        {
            await call.RequestStream.WriteAsync(new ComputeGradientsRequest { Options = new GradientOptions { IncludeTokenFactors = true, BatchSize = 4 } });
            foreach (var e in many) await call.RequestStream.WriteAsync(new ComputeGradientsRequest { Example = e });
            await call.RequestStream.CompleteAsync();
        });
        var error = await Assert.ThrowsAsync<RpcException>(async () =>
        {
            await foreach (var _ in call.ResponseStream.ReadAllAsync()) { }
        });
        await sending.ContinueWith(_ => { }, TaskScheduler.Default);
        // Whichever deadline timer fires first decides what the client sees: its own (DeadlineExceeded)
        // or the server's, which resets the HTTP/2 stream mid-message (Unavailable). Either way the
        // stream ends at the deadline, and the service then serves the next call.
        Assert.True(error.StatusCode is StatusCode.DeadlineExceeded or StatusCode.Unavailable, error.ToString());
        var (ok, _) = await GradientClient.ComputeAsync(_client, new GradientOptions { IncludeExampleGradient = true }, Corpus.Take(1));
        Assert.Single(ok);
    }

    private static void AssertClose(float[] expected, float[] actual)
    {
        var error = RelativeError(actual, expected);
        Assert.True(error < 1e-5, $"relative error {error}");
    }

    private static double RelativeError(float[] actual, float[] expected)
    {
        Assert.Equal(expected.Length, actual.Length);
        double maxDiff = 0, maxAbs = 0;
        for (var i = 0; i < expected.Length; i++)
        {
            maxDiff = Math.Max(maxDiff, Math.Abs(actual[i] - expected[i]));
            maxAbs = Math.Max(maxAbs, Math.Abs(expected[i]));
        }
        return maxDiff / Math.Max(maxAbs, 1e-30);
    }
}
