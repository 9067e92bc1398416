using Google.Rpc;
using Grpc.Core;
using Grpc.Health.V1;
using Infra.Contracts.Aggregation.V1;
using Infra.Contracts.Gradients.V1;

namespace Infra.Aggregation.Tests.Grpc;

/// <summary>
/// The one error model over real servers on loopback: undecodable requests and invalid UTF-8 are INVALID_ARGUMENT on
/// every service, refusals name the request field in a google.rpc.BadRequest, request paths stay under the server's
/// roots, forward_to only reaches allowed ScoringServices, and health answers each service's full name.
/// </summary>
[Collection(ServicesGroup.Name)]
[Trait("Category", "EndToEnd")]
public sealed class ErrorModelTests(ServicesFixture fixture)
{
    // A length-delimited field 1 holding one 0xFF byte (never valid UTF-8), and the same nested one level down.
    private static readonly byte[] InvalidUtf8 = [0x0A, 0x01, 0xFF];
    private static readonly byte[] NestedInvalidUtf8 = [0x0A, 0x03, 0x0A, 0x01, 0xFF];
    // Field 1 says 127 bytes follow; one does.
    private static readonly byte[] Truncated = [0x0A, 0x7F, 0x01];

    public static TheoryData<string, string, string> Calls => new()
    {
        { "scoring", "/infra.scoring.v1.ScoringService/GetQuerySet", "GetQuerySetRequest" },          // unary
        { "scoring", "/infra.scoring.v1.ScoringService/Ingest", "IngestRequest" },                     // client streaming
        { "gradients", "/infra.gradients.v1.GradientService/Generate", "GenerateRequest" },            // unary
        { "gradients", "/infra.gradients.v1.GradientService/ComputeQueryGradients", "ComputeQueryGradientsRequest" }, // server streaming
        { "aggregation", "/infra.aggregation.v1.AggregationService/TopK", "TopKRequest" },             // unary
    };

    [Theory]
    [MemberData(nameof(Calls))]
    public async Task Undecodable_bytes_and_invalid_utf8_are_invalid_arguments_naming_the_problem(string service, string method, string message)
    {
        var address = await AddressOf(service);
        var truncated = await RawGrpc.CallAsync(address, method, Truncated);
        Assert.True(truncated.Status == (int)StatusCode.InvalidArgument, $"{method}: {truncated.Status} {truncated.Message}");
        Assert.Contains($"the request is not a valid {message}: the bytes are not a protobuf message", truncated.Message, StringComparison.Ordinal);

        var utf8 = await RawGrpc.CallAsync(address, method, method.EndsWith("GetQuerySet", StringComparison.Ordinal) ? InvalidUtf8 : NestedInvalidUtf8);
        Assert.True(utf8.Status == (int)StatusCode.InvalidArgument, $"{method}: {utf8.Status} {utf8.Message}");
        Assert.Contains($"the request is not a valid {message}: a string field is not valid UTF-8", utf8.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_refused_field_is_named_in_a_bad_request_detail()
    {
        var held = new QuerySelection { QuerySet = ServicesFixture.QuerySet };
        var error = await Assert.ThrowsAsync<RpcException>(() => fixture.Aggregation.ReweightAsync(new ReweightRequest { Queries = held, Fraction = 2 }).ResponseAsync);
        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        var violation = Assert.Single(error.GetRpcStatus()!.GetDetail<BadRequest>()!.FieldViolations);
        Assert.Equal("fraction", violation.Field);
        Assert.Contains("fraction must be in (0, 1]", violation.Description, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Enum_values_the_service_does_not_know_are_refused_naming_the_field()
    {
        var unknownRerank = new QuerySelection { QuerySet = ServicesFixture.QuerySet, Rerank = (RerankMode)99 };
        var cases = new (Func<Task> Call, string Field)[]
        {
            (() => fixture.Aggregation.TopKAsync(new TopKRequest { Queries = unknownRerank }).ResponseAsync, "queries.rerank"),
            (() => fixture.Aggregation.InfluenceAsync(new InfluenceRequest { QuerySet = ServicesFixture.QuerySet, Rerank = (RerankMode)99 }).ResponseAsync, "rerank"),
            (() => fixture.Aggregation.ReweightAsync(new ReweightRequest
            {
                Queries = new QuerySelection { QuerySet = ServicesFixture.QuerySet }, Strategy = (ReweightStrategy)99,
            }).ResponseAsync, "strategy"),
        };
        foreach (var (call, field) in cases)
        {
            var error = await Assert.ThrowsAsync<RpcException>(call);
            Assert.True(error.StatusCode == StatusCode.InvalidArgument, $"{field}: {error.StatusCode} {error.Status.Detail}");
            Assert.Equal(field, Assert.Single(error.GetRpcStatus()!.GetDetail<BadRequest>()!.FieldViolations).Field);
            Assert.Contains("99", error.Status.Detail, StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData("../../outside", "")]
    [InlineData("/tmp", "")]
    [InlineData("", "/etc/passwd")]
    [InlineData("", "../corpus.jsonl")]
    public async Task Reweight_paths_outside_the_servers_roots_are_refused_naming_the_field(string outputFolder, string corpusPath)
    {
        var request = new ReweightRequest { Queries = new QuerySelection { QuerySet = ServicesFixture.QuerySet }, OutputFolder = outputFolder, CorpusPath = corpusPath };
        var error = await Assert.ThrowsAsync<RpcException>(() => fixture.Aggregation.ReweightAsync(request).ResponseAsync);
        var field = outputFolder.Length > 0 ? "output_folder" : "corpus_path";
        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
        Assert.StartsWith($"{field} '", error.Status.Detail, StringComparison.Ordinal);
        Assert.Contains("is outside the folder the server allows", error.Status.Detail, StringComparison.Ordinal);
        Assert.Equal(field, Assert.Single(error.GetRpcStatus()!.GetDetail<BadRequest>()!.FieldViolations).Field);
    }

    [Fact]
    public async Task A_report_folder_outside_the_output_root_and_a_link_out_of_it_are_refused()
    {
        var link = Path.Combine(fixture.Root, "link-out");
        if (!Path.Exists(link)) Directory.CreateSymbolicLink(link, Path.GetTempPath());
        foreach (var folder in new[] { "../report-elsewhere", "link-out/report" })
        {
            var error = await Assert.ThrowsAsync<RpcException>(() => fixture.Aggregation.ReportAsync(new ReportRequest
            {
                Queries = new QuerySelection { QuerySet = ServicesFixture.QuerySet }, OutputFolder = folder,
            }).ResponseAsync);
            Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
            Assert.StartsWith($"output_folder '{folder}'", error.Status.Detail, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Forward_to_an_address_that_is_not_allowed_is_permission_denied()
    {
        using var call = fixture.Gradients.ComputeGradients();
        // The service refuses on the options message, so the refusal may surface at a later write as well as at the read.
        var error = await Assert.ThrowsAsync<RpcException>(async () =>
        {
            await call.RequestStream.WriteAsync(new ComputeGradientsRequest
            {
                Options = new GradientOptions { Projection = ServicesFixture.Projection, IncludeExampleGradient = true, ForwardTo = "http://scoring.example.com:8080" },
            });
            await call.RequestStream.WriteAsync(new ComputeGradientsRequest { Example = fixture.Training[0] });
            await call.RequestStream.CompleteAsync();
            await call.ResponseStream.ReadAllAsync().ToListAsync();
        });
        Assert.Equal(StatusCode.PermissionDenied, error.StatusCode);
        Assert.Contains("forward_to 'http://scoring.example.com:8080' is not a ScoringService this GradientService may forward to", error.Status.Detail, StringComparison.Ordinal);
        Assert.Equal("options.forward_to", Assert.Single(error.GetRpcStatus()!.GetDetail<BadRequest>()!.FieldViolations).Field);
    }

    [Fact]
    public async Task An_example_id_too_long_or_with_control_characters_is_refused()
    {
        foreach (var (id, problem) in new[] { (new string('q', 300), "at most 256 are allowed"), ("q\u0001", "contains a control character") })
        {
            var request = new ComputeQueryGradientsRequest { Projection = ServicesFixture.Projection, Queries = { new Example { Id = id, Prompt = "1+1?", Response = "2" } } };
            var error = await Assert.ThrowsAsync<RpcException>(() => fixture.Gradients.ComputeQueryGradients(request).ResponseStream.ReadAllAsync().ToListAsync().AsTask());
            Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
            Assert.Contains(problem, error.Status.Detail, StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData("scoring", "infra.scoring.v1.ScoringService")]
    [InlineData("gradients", "infra.gradients.v1.GradientService")]
    [InlineData("aggregation", "infra.aggregation.v1.AggregationService")]
    public async Task Health_answers_the_server_and_the_services_full_name(string service, string name)
    {
        using var channel = global::Grpc.Net.Client.GrpcChannel.ForAddress(await AddressOf(service));
        var health = new Health.HealthClient(channel);
        Assert.Equal(HealthCheckResponse.Types.ServingStatus.Serving, (await health.CheckAsync(new HealthCheckRequest())).Status);
        Assert.Equal(HealthCheckResponse.Types.ServingStatus.Serving, (await health.CheckAsync(new HealthCheckRequest { Service = name })).Status);
        var unknown = await Assert.ThrowsAsync<RpcException>(() => health.CheckAsync(new HealthCheckRequest { Service = "no.such.Service" }).ResponseAsync);
        Assert.Equal(StatusCode.NotFound, unknown.StatusCode);
    }

    private async Task<Uri> AddressOf(string service) => service switch
    {
        "scoring" => fixture.ScoringAddress,
        "gradients" => fixture.GradientAddress,
        _ => await fixture.StartAggregationAtAsync(fixture.ScoringAddress, fixture.GradientAddress),
    };
}
