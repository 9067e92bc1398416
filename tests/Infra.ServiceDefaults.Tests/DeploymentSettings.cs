using System.ComponentModel;
using System.Reflection;
using Infra.Aggregation;
using Infra.Gradients;
using Infra.Scoring;

namespace Infra.ServiceDefaults.Tests;

/// <summary>
/// What the deployment tests (compose, Kubernetes) check a service's environment against: the services' projects and
/// the options class behind each configuration section, so a file that sets a setting the code does not have fails.
/// </summary>
internal static class DeploymentSettings
{
    /// <summary>The repository root (the folder holding Infra.Services.sln).</summary>
    public static readonly string Root = FindRoot();

    /// <summary>Service name -> project (and assembly) name.</summary>
    public static readonly IReadOnlyDictionary<string, string> Projects = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["gradients"] = "Infra.Gradients",
        ["scoring"] = "Infra.Scoring",
        ["aggregation"] = "Infra.Aggregation",
    };

    // The options class behind each configuration section a service may set.
    private static readonly Dictionary<string, Type> Sections = new(StringComparer.OrdinalIgnoreCase)
    {
        [GradientServiceOptions.Section] = typeof(GradientServiceOptions),
        [ScoringServiceOptions.Section] = typeof(ScoringServiceOptions),
        [AggregationServiceOptions.Section] = typeof(AggregationServiceOptions),
        [SecurityOptions.Section] = typeof(SecurityOptions),
    };

    private static readonly Dictionary<string, string> ServiceSection = new(StringComparer.Ordinal)
    {
        ["gradients"] = GradientServiceOptions.Section,
        ["scoring"] = ScoringServiceOptions.Section,
        ["aggregation"] = AggregationServiceOptions.Section,
    };

    private static readonly string[] ConsoleFormatters = ["json", "simple", "systemd"];

    /// <summary>
    /// Asserts that environment variable <paramref name="key"/> of <paramref name="service"/> is a real setting: ASP.NET
    /// and OpenTelemetry variables pass, the console formatter must be one .NET has, anything else must be
    /// <c>Section__Key</c> of that service's (or Security's) options class with a settable property that
    /// <paramref name="literal"/> converts to (null: no literal to convert, e.g. a value from a Secret).
    /// </summary>
    public static void AssertRealSetting(string where, string service, string key, string? literal)
    {
        if (key.StartsWith("ASPNETCORE_", StringComparison.Ordinal) || key.StartsWith("OTEL_", StringComparison.Ordinal)) return;
        if (key == "Logging__Console__FormatterName")
        {
            Assert.Contains(literal, ConsoleFormatters);
            return;
        }
        var parts = key.Split("__");
        Assert.True(parts.Length == 2, $"{where}: {key} is not Section__Key");
        Assert.True(Sections.TryGetValue(parts[0], out var type), $"{where}: {key}: no options class binds section '{parts[0]}'");
        Assert.True(parts[0] == SecurityOptions.Section || parts[0] == ServiceSection[service], $"{where}: {key} belongs to another service");
        var property = type!.GetProperty(parts[1], BindingFlags.Public | BindingFlags.Instance | BindingFlags.IgnoreCase);
        Assert.True(property is { CanWrite: true }, $"{where}: {key}: {type.Name} has no settable property '{parts[1]}'");
        if (string.IsNullOrEmpty(literal)) return;
        var converter = TypeDescriptor.GetConverter(Nullable.GetUnderlyingType(property!.PropertyType) ?? property.PropertyType);
        _ = converter.ConvertFromInvariantString(literal);
    }

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Infra.Services.sln"))) return dir.FullName;
        throw new DirectoryNotFoundException("Infra.Services.sln not found above the test folder");
    }
}
