using Grpc.Health.V1;
using Grpc.Reflection.V1Alpha;
using Infra.Contracts.Gradients.V1;
using Microsoft.Extensions.Options;

namespace Infra.Gradients.Tests;

/// <summary>In-process hosting (TestServer), health, reflection and start-up validation.</summary>
public sealed class HostingTests
{
    [Fact]
    public async Task In_process_host_serves_model_info_gradients_health_and_reflection()
    {
        await using var host = await GradientTestHost.StartAsync(loopback: false);
        var client = new GradientService.GradientServiceClient(host.Channel);
        var info = await client.GetModelInfoAsync(new GetModelInfoRequest());
        // Default k = 64, capped at the layer's dims (gate_proj is 32 -> 64).
        Assert.Equal((32u, 64u), (info.Layers[0].KIn, info.Layers[0].KOut));
        var (examples, _) = await GradientClient.ComputeAsync(client, new GradientOptions { IncludeExampleGradient = true },
            [GradientClient.Chat("a", "2+2?", "4")]);
        Assert.Equal(32 * 64, examples[0].Factors[(0, FactorKind.ExampleGradient)].Length);

        var health = await new Health.HealthClient(host.Channel).CheckAsync(new HealthCheckRequest());
        Assert.Equal(HealthCheckResponse.Types.ServingStatus.Serving, health.Status);

        using var reflection = new ServerReflection.ServerReflectionClient(host.Channel).ServerReflectionInfo();
        await reflection.RequestStream.WriteAsync(new ServerReflectionRequest { ListServices = "" });
        await reflection.RequestStream.CompleteAsync();
        Assert.True(await reflection.ResponseStream.MoveNext(CancellationToken.None));
        Assert.Contains("infra.gradients.v1.GradientService", reflection.ResponseStream.Current.ListServicesResponse.Service.Select(s => s.Name));
    }

    [Fact]
    public async Task A_missing_model_folder_stops_start_up_naming_the_setting()
    {
        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => GradientTestHost.StartAsync(false,
            new Dictionary<string, string?> { ["Gradients:ModelPath"] = "/nonexistent/model" }));
        Assert.Contains("Gradients:ModelPath", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Asking_for_cuda_without_it_stops_start_up_with_the_reason()
    {
        if (TorchSharp.torch.cuda.is_available()) return;
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => GradientTestHost.StartAsync(false,
            new Dictionary<string, string?> { ["Gradients:Device"] = "cuda" }));
        Assert.Contains("CUDA is not available", error.Message, StringComparison.Ordinal);
    }
}
