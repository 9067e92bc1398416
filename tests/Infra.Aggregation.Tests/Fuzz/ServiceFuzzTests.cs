using System.Globalization;
using Google.Protobuf;
using Google.Protobuf.Reflection;
using Grpc.Core;
using Grpc.Health.V1;
using Infra.Contracts.Scoring.V1;
using AggregationApi = Infra.Contracts.Aggregation.V1.AggregationService;
using GradientApi = Infra.Contracts.Gradients.V1.GradientService;
using ScoringApi = Infra.Contracts.Scoring.V1.ScoringService;

namespace Infra.Aggregation.Tests.Fuzz;

/// <summary>
/// Fuzzes every RPC of the three services over loopback with mutated copies of valid requests, random bytes, and client
/// streams cut at every message boundary. Each call must end OK or with a client-error status (never UNKNOWN, INTERNAL,
/// DATA_LOSS or UNAVAILABLE); a failed call must leave the store and the factor folder as they were; the service must
/// keep serving (health, then the valid request). Deterministic: seed 13; INFRA_FUZZ_CASES sets the cases per RPC (default 12).
/// </summary>
[Collection(FuzzGroup.Name)]
[Trait("Category", "Fuzz")]
public sealed class ServiceFuzzTests(FuzzServices services)
{
    private const int Seed = 13;
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    /// <summary>Statuses a request can earn: success or the caller's fault or limits, never the server's.</summary>
    private static readonly HashSet<StatusCode> ClientErrors =
    [
        StatusCode.OK, StatusCode.InvalidArgument, StatusCode.NotFound, StatusCode.FailedPrecondition, StatusCode.OutOfRange,
        StatusCode.AlreadyExists, StatusCode.ResourceExhausted, StatusCode.DeadlineExceeded, StatusCode.Cancelled,
    ];

    private static int Cases => int.TryParse(Environment.GetEnvironmentVariable("INFRA_FUZZ_CASES"), CultureInfo.InvariantCulture, out var n) ? n : 12;

    public static TheoryData<string> Methods()
    {
        var data = new TheoryData<string>();
        foreach (var m in AllMethods()) data.Add(m.FullName);
        return data;
    }

    public static TheoryData<string> StreamingMethods()
    {
        var data = new TheoryData<string>();
        foreach (var m in AllMethods().Where(m => m.IsClientStreaming)) data.Add(m.FullName);
        return data;
    }

    [Fact]
    public void Every_rpc_of_the_three_services_has_a_valid_seed()
    {
        var missing = AllMethods().Select(Key).Where(k => !services.Seeds.ContainsKey(k)).ToList();
        Assert.True(missing.Count == 0, "no seed for " + string.Join(", ", missing));
    }

    [Theory]
    [MemberData(nameof(Methods))]
    public async Task Mutated_requests_get_a_client_error_or_OK_and_leave_the_store_alone_when_refused(string fullName)
    {
        var method = Find(fullName);
        var seed = services.Seeds[Key(method)];
        var mutator = new MessageMutator(Seed ^ StableHash(fullName), services.PinnedStrings);
        var failures = new List<string>();
        for (var i = 0; i < Cases; i++)
        {
            var requests = seed.ToList();
            var target = requests.Count == 1 || mutator.Next(3) == 0 ? 0 : 1 + mutator.Next(requests.Count - 1);
            requests[target] = Mutate(mutator, requests[target]);
            await CheckAsync(method, $"case {i}", requests, failures);
        }
        await AssertStillServingAsync(method, failures);
        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }

    [Theory]
    [MemberData(nameof(StreamingMethods))]
    public async Task Client_streams_cut_at_every_message_boundary_get_a_client_error_or_OK(string fullName)
    {
        var method = Find(fullName);
        var seed = services.Seeds[Key(method)];
        var failures = new List<string>();
        for (var cut = 0; cut < seed.Count; cut++)
            await CheckAsync(method, $"cut after {cut} of {seed.Count}", seed.Take(cut).ToList(), failures);
        await AssertStillServingAsync(method, failures);
        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }

    [Theory]
    [MemberData(nameof(Methods))]
    public async Task Random_bytes_instead_of_a_request_get_a_client_error(string fullName)
    {
        var method = Find(fullName);
        var mutator = new MessageMutator(Seed ^ StableHash(fullName) ^ 0x5eed, services.PinnedStrings);
        var failures = new List<string>();
        for (var i = 0; i < Math.Max(2, Cases / 3); i++)
        {
            var before = Snapshot();
            var bytes = mutator.RandomBytes();
            var outcome = await RawCall.BytesAsync(Invoker(method), method, [bytes], Timeout);
            if (!ClientErrors.Contains(outcome.Status))
                failures.Add($"{method.FullName} bytes {Convert.ToHexString(bytes)}: {outcome.Status} {outcome.Detail}");
            if (outcome.Status != StatusCode.OK && method.Name != "Ingest" && Snapshot() is var after && after != before)
                failures.Add($"{method.FullName} bytes {Convert.ToHexString(bytes)} failed ({outcome.Status}) but changed the store or factors:\n  before {before}\n  after  {after}");
        }
        await AssertStillServingAsync(method, failures);
        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }

    private async Task CheckAsync(MethodDescriptor method, string label, List<IMessage> requests, List<string> failures)
    {
        var before = Snapshot();
        var info = method.Name == "Ingest" ? await StoreCatalogAsync() : null;
        var outcome = await RawCall.MessagesAsync(Invoker(method), method, requests, Timeout);
        var shown = string.Join(" | ", requests.Take(3).Select(Show)) + (requests.Count > 3 ? $" | ... ({requests.Count} messages)" : "");
        if (!ClientErrors.Contains(outcome.Status))
            failures.Add($"{method.FullName} {label}: {outcome.Status} {outcome.Detail}\n  request: {shown}");
        if (outcome.Status == StatusCode.OK) return;
        if (method.Name == "Ingest")
        {
            // A broken ingest keeps the examples that arrived complete (a resumed ingest skips them), nothing else.
            if (await StoreCatalogAsync() is var catalog && catalog != info)
                failures.Add($"{method.FullName} {label} failed ({outcome.Status}) but changed preconditioners or query sets: {info} -> {catalog}");
        }
        else if (Snapshot() is var after && after != before)
        {
            failures.Add($"{method.FullName} {label} failed ({outcome.Status} {outcome.Detail}) but changed the store or factors:\n  before {before}\n  after  {after}\n  request: {shown}");
        }
    }

    private async Task AssertStillServingAsync(MethodDescriptor method, List<string> failures)
    {
        var invoker = Invoker(method);
        var health = await new Health.HealthClient(invoker).CheckAsync(new HealthCheckRequest(), deadline: DateTime.UtcNow + Timeout);
        if (health.Status != HealthCheckResponse.Types.ServingStatus.Serving) failures.Add($"{method.Service.Name} is {health.Status} after fuzzing {method.Name}");
        // Read-only seeds must still succeed; writing seeds may now meet state the fuzz cases left (e.g. a factor name taken).
        var outcome = await RawCall.MessagesAsync(invoker, method, services.Seeds[Key(method)], Timeout);
        if (!ClientErrors.Contains(outcome.Status) || (IsReadOnly(method) && outcome.Status != StatusCode.OK))
            failures.Add($"{method.FullName}: the valid request afterwards ended {outcome.Status} {outcome.Detail}");
    }

    private static bool IsReadOnly(MethodDescriptor method) => method.Name is "MissingExamples" or "Score" or "ScoreTokens" or "StoreInfo"
        or "GetQuerySet" or "ListQuerySets" or "GetExamples" or "GetModelInfo" or "ComputeQueryGradients" or "Generate" or "TopK" or "Aggregate" or "Sequences"
        or "TokenRanking" or "Influence";

    /// <summary>The store's and the factor folder's files with their sizes: what a refused call must not change.</summary>
    private string Snapshot()
    {
        static IEnumerable<string> Files(string root) => Directory.Exists(root)
            ? Directory.EnumerateFiles(root, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal)
                .Select(f => $"{Path.GetRelativePath(root, f)}:{new FileInfo(f).Length}")
            : [];
        return string.Join(", ", Files(services.StorePath).Concat(Files(services.FactorsPath)));
    }

    private async Task<string> StoreCatalogAsync()
    {
        var info = await new ScoringApi.ScoringServiceClient(services.Scoring).StoreInfoAsync(new StoreInfoRequest(), deadline: DateTime.UtcNow + Timeout);
        return $"preconditioners [{string.Join(", ", info.Preconditioners.Select(p => p.Name))}] query sets [{string.Join(", ", info.QuerySets)}] schema {info.Schema}";
    }

    private CallInvoker Invoker(MethodDescriptor method) => method.Service.Name switch
    {
        "ScoringService" => services.Scoring,
        "GradientService" => services.Gradients,
        _ => services.Aggregation,
    };

    private static IMessage Mutate(MessageMutator mutator, IMessage message)
    {
        // Through the generic Mutate<T>: each message type is its own T.
        var generic = typeof(MessageMutator).GetMethod(nameof(MessageMutator.Mutate))!.MakeGenericMethod(message.GetType());
        return (IMessage)generic.Invoke(mutator, [message])!;
    }

    private static string Show(IMessage message)
    {
        var text = JsonFormatter.Default.Format(message);
        return text.Length <= 300 ? text : text[..300] + "...";
    }

    private static IEnumerable<MethodDescriptor> AllMethods() =>
        new[] { ScoringApi.Descriptor, AggregationApi.Descriptor, GradientApi.Descriptor }.SelectMany(s => s.Methods);

    private static MethodDescriptor Find(string fullName) => AllMethods().Single(m => m.FullName == fullName);

    private static string Key(MethodDescriptor method) => $"{method.Service.FullName}/{method.Name}";

    private static int StableHash(string text) => text.Aggregate(17, (h, c) => unchecked(h * 31 + c));
}
