using System.ComponentModel;
using System.Diagnostics;
using System.Reflection;
using System.Text.RegularExpressions;
using Infra.Aggregation;
using Infra.Gradients;
using Infra.Scoring;
using Xunit.Abstractions;
using YamlDotNet.Core;
using YamlDotNet.Serialization;

namespace Infra.ServiceDefaults.Tests;

/// <summary>
/// compose/docker-compose.yml kept consistent with the code: Dockerfiles and project paths exist, every
/// Section__Key is a real option, health checks use the probe mode, the GPU is reserved for gradients only,
/// addresses between services agree, volumes are declared. Docker itself validates the file when it can.
/// </summary>
public sealed partial class ComposeFileTests(ITestOutputHelper output)
{
    private static readonly string Root = DeploymentSettings.Root;
    private static readonly string ComposeDir = Path.Combine(Root, "compose");

    private readonly Dictionary<object, object> _compose = Load();

    private Dictionary<object, object> Services => Map(_compose["services"]);

    [Fact]
    public void It_runs_the_three_services()
    {
        Assert.Equal(DeploymentSettings.Projects.Keys.Order(), Services.Keys.Cast<string>().Order());
    }

    [Theory]
    [InlineData("gradients")]
    [InlineData("scoring")]
    [InlineData("aggregation")]
    public void Each_Dockerfile_exists_and_publishes_the_service_as_a_non_root_user(string service)
    {
        var build = Map(Map(Services[service])["build"]);
        var context = Path.GetFullPath(Path.Combine(ComposeDir, (string)build["context"]));
        Assert.Equal(Root, context.TrimEnd('/'));
        var dockerfile = Path.Combine(context, (string)build["dockerfile"]);
        Assert.True(File.Exists(dockerfile), $"{service}: {dockerfile} does not exist");
        var text = File.ReadAllText(dockerfile);
        var project = DeploymentSettings.Projects[service];

        Assert.Contains("FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build", text, StringComparison.Ordinal);
        Assert.Contains("FROM mcr.microsoft.com/dotnet/aspnet:10.0", text, StringComparison.Ordinal);
        var publish = PublishLine().Match(text);
        Assert.True(publish.Success, $"{service}: no dotnet publish line");
        Assert.Equal($"services/{project}/{project}.csproj", publish.Groups[1].Value);
        Assert.True(File.Exists(Path.Combine(context, publish.Groups[1].Value)));
        foreach (Match copy in CopyLine().Matches(text))
            foreach (var source in copy.Groups[1].Value.Split(' ', StringSplitOptions.RemoveEmptyEntries)[..^1])
                Assert.True(File.Exists(Path.Combine(context, source)) || Directory.Exists(Path.Combine(context, source)), $"{service}: COPY {source} does not exist");
        Assert.Contains($"ENTRYPOINT [\"dotnet\", \"{project}.dll\"]", text, StringComparison.Ordinal);
        var user = UserLine().Matches(text).Last().Groups[1].Value;
        Assert.NotEqual("root", user);
        Assert.True(text.LastIndexOf("USER ", StringComparison.Ordinal) > text.LastIndexOf("FROM ", StringComparison.Ordinal), "USER must be set in the runtime stage");
    }

    [Theory]
    [InlineData("gradients")]
    [InlineData("scoring")]
    [InlineData("aggregation")]
    public void Every_setting_is_a_real_option_with_a_valid_value(string service)
    {
        foreach (var (key, value) in Environment(service))
        {
            // ${VAR:-default} interpolations are checked with their default (an arbitrary value when there is none).
            var literal = Interpolation().Replace(value, m => m.Groups[2].Success ? m.Groups[2].Value : "x");
            DeploymentSettings.AssertRealSetting(service, service, key, literal);
        }
    }

    [Theory]
    [InlineData("gradients")]
    [InlineData("scoring")]
    [InlineData("aggregation")]
    public void The_health_check_runs_the_probe_mode_on_the_service_port(string service)
    {
        var test = List(Map(Map(Services[service])["healthcheck"])["test"]).Cast<string>().ToList();
        Assert.Equal(["CMD", "dotnet", $"{DeploymentSettings.Projects[service]}.dll", HealthProbe.Switch, $"http://127.0.0.1:{ContainerPort(service)}"], test);
    }

    [Fact]
    public void Only_gradients_reserves_a_GPU_and_builds_for_it()
    {
        foreach (var (name, body) in Services.Select(kv => ((string)kv.Key, Map(kv.Value))))
        {
            if (name != "gradients")
            {
                Assert.False(body.ContainsKey("deploy"), $"{name} must not reserve devices");
                continue;
            }
            var device = Map(Assert.Single(List(Map(Map(Map(body["deploy"])["resources"])["reservations"])["devices"])));
            Assert.Equal("nvidia", device["driver"]);
            Assert.Equal("1", device["count"]);
            Assert.Contains("gpu", List(device["capabilities"]).Cast<string>());
            var arg = (string)Map(Map(body["build"])["args"])["INFRA_TORCH_BACKEND"];
            Assert.Equal("cuda", Interpolation().Match(arg).Groups[2].Value);
            var dockerfile = File.ReadAllText(Path.Combine(Root, (string)Map(body["build"])["dockerfile"]));
            Assert.Contains("ARG INFRA_TORCH_BACKEND", dockerfile, StringComparison.Ordinal);
            Assert.Contains("-p:InfraTorchBackend=${INFRA_TORCH_BACKEND}", dockerfile, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Addresses_between_services_agree_with_their_ports()
    {
        var aggregation = Environment("aggregation");
        foreach (var (setting, target) in new[] { ("Aggregation__ScoringAddress", "scoring"), ("Aggregation__GradientAddress", "gradients") })
        {
            var uri = new Uri(aggregation[setting]);
            Assert.Equal(target, uri.Host);
            Assert.Equal(ContainerPort(target), uri.Port);
            AssertHealthyDependency("aggregation", target);
        }
        // ComputeGradients' forward_to goes to http://scoring:<port>: gradients waits for a healthy store.
        AssertHealthyDependency("gradients", "scoring");
        foreach (var service in DeploymentSettings.Projects.Keys)
        {
            var published = List(Map(Services[service])["ports"]).Cast<string>().Select(p => int.Parse(p.Split(':')[^1], System.Globalization.CultureInfo.InvariantCulture));
            Assert.Equal(ContainerPort(service), Assert.Single(published));
        }
        var hostPorts = DeploymentSettings.Projects.Keys.Select(s => (string)List(Map(Services[s])["ports"])[0]).ToList();
        Assert.Equal(hostPorts.Count, hostPorts.Distinct().Count());
    }

    [Fact]
    public void Paths_in_settings_are_mounted_and_named_volumes_declared()
    {
        var declared = Map(_compose["volumes"]).Keys.Cast<string>().ToHashSet();
        var used = new HashSet<string>();
        foreach (var service in DeploymentSettings.Projects.Keys)
        {
            // ${VAR:-default} sources count as their default.
            var mounts = List(Map(Services[service]).GetValueOrDefault("volumes") ?? new List<object>()).Cast<string>()
                .Select(v => Interpolation().Replace(v, m => m.Groups[2].Value).Split(':')).ToList();
            foreach (var m in mounts.Where(m => m[0].StartsWith('.')))
                Assert.True(Directory.Exists(Path.Combine(ComposeDir, m[0])), $"{service}: bind-mounted folder {m[0]} does not exist");
            foreach (var m in mounts.Where(m => !m[0].StartsWith('.') && !m[0].StartsWith('/')))
            {
                Assert.True(declared.Contains(m[0]), $"{service}: volume '{m[0]}' is not declared");
                used.Add(m[0]);
            }
            var targets = mounts.Select(m => m[1]).ToHashSet();
            foreach (var (key, value) in Environment(service).Where(kv => kv.Key.EndsWith("Path", StringComparison.Ordinal)))
                Assert.True(targets.Contains(value), $"{service}: {key}={value} is not a mounted folder");
        }
        Assert.Equal(declared.Order(), used.Order());
        Assert.Equal("/data/store", Environment("scoring")["Scoring__StorePath"]);
        // The default model mount is a real checkpoint folder (models/default/model).
        var model = Environment("gradients")["Gradients__ModelPath"];
        var source = List(Map(Services["gradients"])["volumes"]).Cast<string>().Select(v => Interpolation().Replace(v, m => m.Groups[2].Value).Split(':'))
            .Single(m => m[1] == model)[0];
        Assert.True(File.Exists(Path.Combine(ComposeDir, source, "config.json")), $"{source} holds no checkpoint");
    }

    [Fact]
    public void Every_service_requires_the_api_key()
    {
        foreach (var service in DeploymentSettings.Projects.Keys)
        {
            var key = Environment(service)["Security__ApiKey"];
            Assert.StartsWith("${INFRA_API_KEY:?", key, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Docker_accepts_the_file_when_it_is_here()
    {
        var (code, text) = Run("docker", "compose", "version");
        if (code != 0)
        {
            output.WriteLine($"skipped 'docker compose config -q': docker compose is not available here ({text.Trim()})");
            return;
        }
        (code, text) = Run("docker", "compose", "-f", Path.Combine(ComposeDir, "docker-compose.yml"), "config", "-q");
        Assert.True(code == 0, text);
    }

    private void AssertHealthyDependency(string service, string on)
    {
        var depends = Map(Map(Services[service])["depends_on"]);
        Assert.Equal("service_healthy", Map(depends[on])["condition"]);
    }

    private int ContainerPort(string service) => int.Parse(Environment(service)["ASPNETCORE_HTTP_PORTS"], System.Globalization.CultureInfo.InvariantCulture);

    private Dictionary<string, string> Environment(string service) =>
        Map(Map(Services[service])["environment"]).ToDictionary(kv => (string)kv.Key, kv => (string)kv.Value, StringComparer.Ordinal);

    private static Dictionary<object, object> Load()
    {
        using var reader = new StringReader(File.ReadAllText(Path.Combine(ComposeDir, "docker-compose.yml")));
        // MergingParser resolves the YAML merge keys (<<: *common-environment).
        return new DeserializerBuilder().Build().Deserialize<Dictionary<object, object>>(new MergingParser(new Parser(reader)));
    }

    private static Dictionary<object, object> Map(object node) => Assert.IsType<Dictionary<object, object>>(node);

    private static List<object> List(object node) => Assert.IsType<List<object>>(node);

    private static (int Code, string Output) Run(string file, params string[] args)
    {
        var info = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in args) info.ArgumentList.Add(a);
        info.Environment["INFRA_API_KEY"] = TestHosts.Key;
        try
        {
            using var process = Process.Start(info)!;
            var text = process.StandardOutput.ReadToEnd() + process.StandardError.ReadToEnd();
            process.WaitForExit();
            return (process.ExitCode, text);
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            return (-1, e.Message);
        }
    }

    [GeneratedRegex(@"dotnet publish (\S+\.csproj)")]
    private static partial Regex PublishLine();

    [GeneratedRegex(@"^COPY (?!--from)(.+)$", RegexOptions.Multiline)]
    private static partial Regex CopyLine();

    [GeneratedRegex(@"^USER (\S+)", RegexOptions.Multiline)]
    private static partial Regex UserLine();

    // ${VAR}, ${VAR:-default}, ${VAR:?error}: group 2 is the default.
    [GeneratedRegex(@"\$\{(\w+)(?::-([^}]*)|:\?[^}]*)?\}")]
    private static partial Regex Interpolation();
}
