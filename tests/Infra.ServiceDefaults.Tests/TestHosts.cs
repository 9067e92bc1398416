using System.Diagnostics;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace Infra.ServiceDefaults.Tests;

/// <summary>What these tests add to the real services of <see cref="Infra.Testing.LoopbackHosts"/>: an API key and in-memory telemetry exporters.</summary>
internal static class TestHosts
{
    public const string Key = "0123456789abcdef-test-key";

    /// <summary>Adds in-memory exporters for traces and metrics.</summary>
    public static (List<Activity> Activities, List<Metric> Metrics) CaptureTelemetry(WebApplicationBuilder builder)
    {
        var activities = new List<Activity>();
        var metrics = new List<Metric>();
        builder.Services.ConfigureOpenTelemetryTracerProvider(t => t.AddInMemoryExporter(activities));
        builder.Services.ConfigureOpenTelemetryMeterProvider(m => m.AddInMemoryExporter(metrics));
        return (activities, metrics);
    }
}
