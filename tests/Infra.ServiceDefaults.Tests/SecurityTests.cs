using System.Net;
using Grpc.Core;
using Grpc.Health.V1;
using Grpc.Net.Client;
using Infra.Contracts.Scoring.V1;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Options;

namespace Infra.ServiceDefaults.Tests;

/// <summary>The API-key gate and the refusal of open binds, on the real ScoringService over Kestrel.</summary>
public sealed class SecurityTests : IDisposable
{
    private readonly string _store = LoopbackHosts.TempFolder("infra-sec-");

    public void Dispose() => Directory.Delete(_store, recursive: true);

    [Theory]
    [InlineData("http://0.0.0.0:0")]
    [InlineData("http://+:0")]
    [InlineData("http://*:0")]
    public async Task A_non_loopback_url_without_a_key_is_refused_naming_the_settings(string url)
    {
        var builder = LoopbackHosts.ScoringBuilder(_store, new Dictionary<string, string?> { ["urls"] = url });
        var error = await Assert.ThrowsAnyAsync<Exception>(() => LoopbackHosts.StartScoringAsync(builder));
        var message = Flatten(error);
        Assert.Contains("Security:ApiKey", message, StringComparison.Ordinal);
        Assert.Contains("Security:AllowInsecure", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_second_listener_on_all_interfaces_in_code_is_refused_too()
    {
        var builder = LoopbackHosts.ScoringBuilder(_store);
        builder.WebHost.ConfigureKestrel(k =>
        {
            k.Listen(IPAddress.Loopback, 0, o => o.Protocols = HttpProtocols.Http2);
            k.Listen(IPAddress.Any, 0, o => o.Protocols = HttpProtocols.Http2);
        });
        var error = await Assert.ThrowsAnyAsync<Exception>(() => LoopbackHosts.StartScoringAsync(builder));
        Assert.Contains("Security:ApiKey", Flatten(error), StringComparison.Ordinal);
    }

    [Fact]
    public async Task AllowInsecure_lets_it_listen_on_all_interfaces_without_a_key()
    {
        var builder = LoopbackHosts.ScoringBuilder(_store, new Dictionary<string, string?> { ["urls"] = "http://0.0.0.0:0", ["Security:AllowInsecure"] = "true" });
        var (app, address) = await LoopbackHosts.StartScoringAsync(builder);
        await using var _ = app;
        using var channel = GrpcChannel.ForAddress(address);
        var info = await new ScoringService.ScoringServiceClient(channel).StoreInfoAsync(new StoreInfoRequest());
        Assert.False(info.Exists);
    }

    [Fact]
    public async Task A_key_lets_it_listen_on_all_interfaces()
    {
        var builder = LoopbackHosts.ScoringBuilder(_store, new Dictionary<string, string?> { ["urls"] = "http://0.0.0.0:0", ["Security:ApiKey"] = TestHosts.Key });
        var (app, address) = await LoopbackHosts.StartScoringAsync(builder);
        await using var _ = app;
        using var channel = InfraChannel.Create(address, TestHosts.Key);
        Assert.Equal(_store, (await new ScoringService.ScoringServiceClient(channel).StoreInfoAsync(new StoreInfoRequest())).Path);
    }

    [Fact]
    public async Task With_a_key_calls_must_carry_it_and_health_stays_open()
    {
        var builder = LoopbackHosts.ScoringBuilder(_store, new Dictionary<string, string?> { ["Security:ApiKey"] = TestHosts.Key });
        LoopbackHosts.ListenLoopback(builder);
        var (app, address) = await LoopbackHosts.StartScoringAsync(builder);
        await using var _ = app;

        using var bare = GrpcChannel.ForAddress(address);
        var missing = await Assert.ThrowsAsync<RpcException>(() => new ScoringService.ScoringServiceClient(bare).StoreInfoAsync(new StoreInfoRequest()).ResponseAsync);
        Assert.Equal(StatusCode.Unauthenticated, missing.StatusCode);
        Assert.Contains("x-api-key", missing.Status.Detail, StringComparison.Ordinal);

        using var wrong = InfraChannel.Create(address, TestHosts.Key + "x");
        var mismatch = await Assert.ThrowsAsync<RpcException>(() => new ScoringService.ScoringServiceClient(wrong).StoreInfoAsync(new StoreInfoRequest()).ResponseAsync);
        Assert.Equal(StatusCode.Unauthenticated, mismatch.StatusCode);
        Assert.Contains("does not match", mismatch.Status.Detail, StringComparison.Ordinal);

        // Streaming calls are gated as well (Ingest is client streaming, Score server streaming).
        using (var ingest = new ScoringService.ScoringServiceClient(bare).Ingest())
        {
            var streamed = await Assert.ThrowsAsync<RpcException>(() => ingest.ResponseAsync);
            Assert.Equal(StatusCode.Unauthenticated, streamed.StatusCode);
        }

        using var right = InfraChannel.Create(address, TestHosts.Key);
        Assert.False((await new ScoringService.ScoringServiceClient(right).StoreInfoAsync(new StoreInfoRequest())).Exists);

        var health = await new Health.HealthClient(bare).CheckAsync(new HealthCheckRequest());
        Assert.Equal(HealthCheckResponse.Types.ServingStatus.Serving, health.Status);
    }

    [Fact]
    public async Task The_key_can_come_from_a_file()
    {
        var file = Path.Combine(_store, "..", Path.GetFileName(_store) + ".key");
        await File.WriteAllTextAsync(file, TestHosts.Key + "\n");
        try
        {
            var builder = LoopbackHosts.ScoringBuilder(Path.Combine(_store, "s"), new Dictionary<string, string?> { ["Security:ApiKeyFile"] = file });
            LoopbackHosts.ListenLoopback(builder);
            var (app, address) = await LoopbackHosts.StartScoringAsync(builder);
            await using var _ = app;
            using var right = InfraChannel.Create(address, TestHosts.Key);
            Assert.False((await new ScoringService.ScoringServiceClient(right).StoreInfoAsync(new StoreInfoRequest())).Exists);
            using var bare = GrpcChannel.ForAddress(address);
            var missing = await Assert.ThrowsAsync<RpcException>(() => new ScoringService.ScoringServiceClient(bare).StoreInfoAsync(new StoreInfoRequest()).ResponseAsync);
            Assert.Equal(StatusCode.Unauthenticated, missing.StatusCode);
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Theory]
    [InlineData("Security:ApiKey", "short", "Security:ApiKey")]
    [InlineData("Security:ApiKeyFile", "/nonexistent/infra.key", "Security:ApiKeyFile")]
    [InlineData("Security:ForwardApiKey", "short", "Security:ForwardApiKey")]
    public async Task Invalid_security_settings_stop_start_up_naming_the_setting(string setting, string value, string named)
    {
        var builder = LoopbackHosts.ScoringBuilder(_store, new Dictionary<string, string?> { [setting] = value });
        LoopbackHosts.ListenLoopback(builder);
        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => LoopbackHosts.StartScoringAsync(builder));
        Assert.Contains(named, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Message_limits_are_settings()
    {
        var builder = LoopbackHosts.ScoringBuilder(_store, new Dictionary<string, string?> { ["Scoring:MaxReceiveMessageBytes"] = "2048" });
        LoopbackHosts.ListenLoopback(builder);
        var (app, address) = await LoopbackHosts.StartScoringAsync(builder);
        await using var _ = app;
        using var channel = GrpcChannel.ForAddress(address);
        var request = new MissingExamplesRequest();
        request.Ids.AddRange(Enumerable.Range(0, 400).Select(i => $"example-{i:D6}"));
        var error = await Assert.ThrowsAsync<RpcException>(() => new ScoringService.ScoringServiceClient(channel).MissingExamplesAsync(request).ResponseAsync);
        Assert.Equal(StatusCode.ResourceExhausted, error.StatusCode);
    }

    private static string Flatten(Exception e) => e is AggregateException a
        ? string.Join(" | ", a.Flatten().InnerExceptions.Select(Flatten))
        : e.InnerException is null ? e.Message : e.Message + " | " + Flatten(e.InnerException);
}
