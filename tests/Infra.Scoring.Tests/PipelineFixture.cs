using Grpc.Core;
using Grpc.Net.Client;
using Infra.Contracts.Gradients.V1;
using Infra.Contracts.Scoring.V1;

namespace Infra.Scoring.Tests;

/// <summary>
/// A real GradientService on a seeded tiny Qwen2 checkpoint, on a loopback port, and the gradient
/// messages of a small math/code corpus computed once (so every store in these tests is fed the very
/// same bytes).
/// </summary>
public sealed class PipelineFixture : IAsyncLifetime
{
    public static readonly Contracts.Gradients.V1.ProjectionSpec Projection = new() { KIn = 8, KOut = 8, Seed = 5 };

    private GradientTestHost? _host;

    public string Root { get; } = Directory.CreateTempSubdirectory("infra-pipeline-").FullName;
    public GrpcChannel Channel { get; private set; } = null!;
    public GradientService.GradientServiceClient Gradients { get; private set; } = null!;
    public GetModelInfoResponse Info { get; private set; } = null!;
    public IReadOnlyList<Example> Corpus { get; } = Enumerable.Range(0, 20).Select(i => new Example
    {
        Id = $"ex{i:D2}",
        Prompt = i % 2 == 0 ? $"What is {i} + {2 * i}?" : $"What does print({i} * 3) output?",
        Response = i % 2 == 0 ? $"{i} + {2 * i} = {3 * i}. The answer is {3 * i}." : $"{i} * 3 = {3 * i}, so it prints {3 * i}.",
        Domain = i % 2 == 0 ? "math" : "code",
        Difficulty = 1 + i % 5,
    }).ToList();
    public IReadOnlyList<Example> Queries { get; } =
    [
        new Example { Id = "qm", Prompt = "What is 7 + 14?", Response = "7 + 14 = 21. The answer is 21.", Domain = "math" },
        new Example { Id = "qc", Prompt = "What does print(5 * 3) output?", Response = "5 * 3 = 15, so it prints 15.", Domain = "code" },
    ];

    /// <summary>Every ComputeGradients response for <see cref="Corpus"/> (example gradients + token factors, fp32).</summary>
    public IReadOnlyList<ComputeGradientsResponse> GradientMessages { get; private set; } = [];

    /// <summary>Every ComputeQueryGradients chunk for <see cref="Queries"/>.</summary>
    public IReadOnlyList<ComputeQueryGradientsResponse> QueryChunks { get; private set; } = [];

    public async Task InitializeAsync()
    {
        _host = await GradientTestHost.StartAsync(loopback: true, seed: 11, defaultBatchSize: null);
        Channel = _host.Channel;
        Gradients = new GradientService.GradientServiceClient(Channel);
        Info = await Gradients.GetModelInfoAsync(new GetModelInfoRequest { Projection = Projection });
        GradientMessages = await ComputeAsync(Corpus);
        var request = new ComputeQueryGradientsRequest { Projection = Projection };
        request.Queries.AddRange(Queries);
        using var call = Gradients.ComputeQueryGradients(request);
        QueryChunks = await call.ResponseStream.ReadAllAsync().ToListAsync();
    }

    public async Task<List<ComputeGradientsResponse>> ComputeAsync(IEnumerable<Example> examples)
    {
        using var call = Gradients.ComputeGradients();
        await call.RequestStream.WriteAsync(new ComputeGradientsRequest
        {
            Options = new GradientOptions { Projection = Projection, IncludeExampleGradient = true, IncludeTokenFactors = true, BatchSize = 4 },
        });
        foreach (var e in examples) await call.RequestStream.WriteAsync(new ComputeGradientsRequest { Example = e });
        await call.RequestStream.CompleteAsync();
        return await call.ResponseStream.ReadAllAsync().ToListAsync();
    }

    /// <summary>The ingest header matching the gradient service's model and projection.</summary>
    public IngestHeader Header(WireDtype storeDtype = WireDtype.Float32, bool tokenFactors = true)
    {
        var header = new IngestHeader { ModelFingerprint = Info.Fingerprint, Projection = Projection, StoreDtype = storeDtype, TokenFactors = tokenFactors };
        header.Layers.AddRange(Info.Layers);
        return header;
    }

    public async Task DisposeAsync()
    {
        if (_host is not null) await _host.DisposeAsync();
        Directory.Delete(Root, recursive: true);
    }
}
