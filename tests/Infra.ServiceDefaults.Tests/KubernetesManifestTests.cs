using System.ComponentModel;
using System.Globalization;
using System.Reflection;
using System.Text.RegularExpressions;
using Infra.Aggregation;
using Infra.Gradients;
using Infra.Scoring;

namespace Infra.ServiceDefaults.Tests;

/// <summary>
/// deploy/kubernetes kept consistent with the code, overlay by overlay, on what <c>kubectl kustomize</c> renders:
/// every Section__Key is a real option and every INFRA_* a real CLI setting, ports and probes are the images' and
/// the --health-probe mode's, scoring shards sit behind a headless Service and are the GradientService's only forward
/// targets, only gradients asks for a GPU (and only in the gpu overlay), indexing is an Indexed Job whose partition count
/// is its completions, API keys come from a Secret, every container states its requests.
/// </summary>
public sealed partial class KubernetesManifestTests
{
    public static TheoryData<string> Overlays => new() { "cpu-dev", "gpu" };

    private const string SecretName = "infra-api-key";

    [Theory]
    [MemberData(nameof(Overlays))]
    public void It_renders_the_three_services_and_the_index_job(string overlay)
    {
        var kinds = KubernetesRender.Overlay(overlay).Select(d => $"{d["kind"]}/{Name(d)}").ToHashSet();
        foreach (var expected in new[] { "Deployment/gradients", "Service/gradients", "StatefulSet/scoring", "Service/scoring", "Deployment/aggregation", "Service/aggregation", "Job/index" })
            Assert.Contains(expected, kinds);
        Assert.DoesNotContain(kinds, k => k.StartsWith("Secret/", StringComparison.Ordinal));
    }

    [Theory]
    [MemberData(nameof(Overlays))]
    public void Every_service_setting_is_a_real_option_with_a_valid_value(string overlay)
    {
        foreach (var service in DeploymentSettings.Projects.Keys)
        {
            foreach (var (key, value) in Environment(overlay, service))
                DeploymentSettings.AssertRealSetting($"{overlay}/{service}", service, key, value); // null: from a Secret (checked below)
        }
    }

    [Theory]
    [MemberData(nameof(Overlays))]
    public void The_index_job_sets_only_real_CLI_settings(string overlay)
    {
        // Settings.cs is internal to the CLI: its keys are read from the source, INFRA_ + key with ':' as "__".
        var source = File.ReadAllText(Path.Combine(KubernetesRender.Root, "services", "Infra.Cli", "Configuration", "Settings.cs"));
        var variables = SettingKey().Matches(source).Select(m => "INFRA_" + m.Groups[1].Value.Replace(":", "__", StringComparison.Ordinal)).ToList();
        Assert.Contains("INFRA_APIKEY", variables, StringComparer.OrdinalIgnoreCase);
        foreach (var name in Env(Container(Workload(overlay, "Job", "index"))).Keys.Where(k => k != "JOB_COMPLETION_INDEX"))
            Assert.True(variables.Contains(name, StringComparer.OrdinalIgnoreCase), $"{overlay}/index: {name} is not a CLI setting ({string.Join(", ", variables)})");
        var csproj = File.ReadAllText(Path.Combine(KubernetesRender.Root, "services", "Infra.Cli", "Infra.Cli.csproj"));
        Assert.Contains("<AssemblyName>infra</AssemblyName>", csproj, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Overlays))]
    public void Ports_are_the_images_and_services_target_them(string overlay)
    {
        foreach (var service in DeploymentSettings.Projects.Keys)
        {
            var port = ImagePort(service);
            var container = Container(Workload(overlay, service == "scoring" ? "StatefulSet" : "Deployment", service));
            var declared = Map(Assert.Single(List(container["ports"])));
            Assert.Equal(port, Int(declared["containerPort"]));
            Assert.Equal(port.ToString(CultureInfo.InvariantCulture), Environment(overlay, service)["ASPNETCORE_HTTP_PORTS"]);
            var servicePort = Map(Assert.Single(List(Spec(Find(overlay, "Service", service))["ports"])));
            Assert.Equal(declared["name"], servicePort["targetPort"]);
            Assert.Equal(port, Int(servicePort["port"]));
        }
    }

    [Theory]
    [MemberData(nameof(Overlays))]
    public void Probes_run_the_health_probe_mode_on_the_service_port(string overlay)
    {
        foreach (var (service, project) in DeploymentSettings.Projects)
        {
            var container = Container(Workload(overlay, service == "scoring" ? "StatefulSet" : "Deployment", service));
            string[] expected = ["dotnet", $"{project}.dll", HealthProbe.Switch, $"http://127.0.0.1:{ImagePort(service)}"];
            foreach (var probe in new[] { "livenessProbe", "readinessProbe" })
            {
                Assert.True(container.ContainsKey(probe), $"{overlay}/{service} has no {probe}");
                Assert.Equal(expected, List(Map(Map(container[probe])["exec"])["command"]).Cast<string>());
            }
            if (container.TryGetValue("startupProbe", out var startup))
                Assert.Equal(expected, List(Map(Map(startup)["exec"])["command"]).Cast<string>());
        }
    }

    [Theory]
    [MemberData(nameof(Overlays))]
    public void Scoring_shards_are_a_StatefulSet_behind_a_headless_service_with_a_store_each(string overlay)
    {
        var set = Workload(overlay, "StatefulSet", "scoring");
        var service = Find(overlay, "Service", (string)Spec(set)["serviceName"]);
        Assert.Equal("None", Spec(service)["clusterIP"]);
        var labels = Map(Map(Map(Spec(set)["template"])["metadata"])["labels"]);
        foreach (var (key, value) in Map(Spec(service)["selector"]))
            Assert.Equal(value, labels[key]);
        var template = Map(Assert.Single(List(Spec(set)["volumeClaimTemplates"])));
        var mount = List(Container(set)["volumeMounts"]).Select(Map).Single(m => Equals(m["name"], Name(template)));
        Assert.Equal(Environment(overlay, "scoring")["Scoring__StorePath"], mount["mountPath"]);
        Assert.Contains("ReadWriteOnce", List(Spec(template)["accessModes"]).Cast<string>());
    }

    [Theory]
    [MemberData(nameof(Overlays))]
    public void Addresses_between_services_name_the_shards_and_services(string overlay)
    {
        var set = Workload(overlay, "StatefulSet", "scoring");
        var shards = Int(Spec(set)["replicas"]);
        var headless = (string)Spec(set)["serviceName"];
        var port = ImagePort("scoring");
        var addresses = Enumerable.Range(0, shards).Select(i => $"http://{Name(set)}-{i}.{headless}:{port}").ToList();
        // forward_to may name exactly the shards: the GradientService sends them its API key.
        var allowed = Split(Environment(overlay, "gradients")["Gradients__AllowedForwardTargets"]);
        Assert.Equal(addresses, allowed);
        // The AggregationService and the index Job list every shard, in shard order: the hash of an id picks among them.
        var aggregation = Environment(overlay, "aggregation");
        Assert.Equal(addresses, Split(aggregation["Aggregation__ScoringAddress"]));
        // One GradientService (http://gradients:PORT) or its workers (dns:///NAME:PORT of a headless Service over the
        // same pods): either way a Service that selects the gradients pods, on their port.
        var gradients = aggregation["Aggregation__GradientAddress"]!;
        var (host, gradientPort, asWorkers) = GradientTarget(gradients);
        var gradientService = Find(overlay, "Service", host);
        Assert.Equal("gradients", Map(Spec(gradientService)["selector"])["app.kubernetes.io/name"]);
        Assert.Equal(ImagePort("gradients"), gradientPort);
        if (asWorkers) Assert.Equal("None", Spec(gradientService)["clusterIP"]);
        var job = Env(Container(Workload(overlay, "Job", "index")));
        Assert.Equal(addresses, Split(job["INFRA_SCORING__FORWARDADDRESS"]));
        Assert.Equal(addresses, Split(job["INFRA_SCORING__ADDRESS"]));
        Assert.Equal(aggregation["Aggregation__GradientAddress"], job["INFRA_GRADIENTS__ADDRESS"]);
    }

    // A gradients address as the CLI and the AggregationService read it: http://HOST:PORT, or dns:///NAME:PORT (workers).
    private static (string Host, int Port, bool Workers) GradientTarget(string address)
    {
        if (!address.StartsWith("dns:///", StringComparison.Ordinal)) return (new Uri(address).Host, new Uri(address).Port, false);
        var target = address["dns:///".Length..];
        var colon = target.LastIndexOf(':');
        return (target[..colon], int.Parse(target[(colon + 1)..], CultureInfo.InvariantCulture), true);
    }

    [Fact]
    public void The_gpu_overlay_spreads_indexing_and_reranking_over_every_gradient_replica()
    {
        var (host, _, workers) = GradientTarget(Environment("gpu", "aggregation")["Aggregation__GradientAddress"]!);
        Assert.True(workers, "the gpu overlay's AggregationService names the GradientService replicas as workers (dns:///)");
        Assert.Equal("None", Spec(Find("gpu", "Service", host))["clusterIP"]);
        Assert.Equal(Environment("gpu", "aggregation")["Aggregation__GradientAddress"], Env(Container(Workload("gpu", "Job", "index")))["INFRA_GRADIENTS__ADDRESS"]);
    }

    [Fact]
    public void The_gpu_overlay_puts_several_gradient_replicas_on_GPU_nodes_and_several_shards()
    {
        var deployment = Workload("gpu", "Deployment", "gradients");
        Assert.True(Int(Spec(deployment)["replicas"]) > 1);
        Assert.True(Int(Spec(Workload("gpu", "StatefulSet", "scoring"))["replicas"]) > 1);
        var container = Container(deployment);
        Assert.Equal("1", Map(Map(container["resources"])["limits"])["nvidia.com/gpu"]);
        Assert.Equal("cuda", Environment("gpu", "gradients")["Gradients__Device"]);
        Assert.EndsWith(":cuda", (string)container["image"], StringComparison.Ordinal);
        var pod = PodSpec(deployment);
        Assert.NotEmpty(Map(pod["nodeSelector"]));
        Assert.Contains(List(pod["tolerations"]).Select(Map), t => Equals(t["key"], "nvidia.com/gpu"));
        AssertOnlyGradientsAsksForAGpu("gpu");
    }

    [Fact]
    public void The_cpu_dev_overlay_runs_one_gradient_replica_on_the_cpu_and_one_shard()
    {
        var deployment = Workload("cpu-dev", "Deployment", "gradients");
        Assert.Equal(1, Int(Spec(deployment)["replicas"]));
        Assert.Equal(1, Int(Spec(Workload("cpu-dev", "StatefulSet", "scoring"))["replicas"]));
        Assert.Equal("cpu", Environment("cpu-dev", "gradients")["Gradients__Device"]);
        Assert.EndsWith(":cpu", (string)Container(deployment)["image"], StringComparison.Ordinal);
        Assert.False(PodSpec(deployment).ContainsKey("nodeSelector"));
        Assert.False(PodSpec(deployment).ContainsKey("tolerations"));
        foreach (var document in Pods("cpu-dev"))
            foreach (var container in Containers(document))
                Assert.False(Map(Map(container["resources"])["limits"]).ContainsKey("nvidia.com/gpu"), $"cpu-dev: {Name(document)} asks for a GPU");
        foreach (var claim in KubernetesRender.Overlay("cpu-dev").Where(d => Equals(d["kind"], "PersistentVolumeClaim")))
            Assert.Equal(["ReadWriteOnce"], List(Spec(claim)["accessModes"]).Cast<string>());
    }

    [Theory]
    [MemberData(nameof(Overlays))]
    public void Indexing_is_an_Indexed_Job_whose_pods_take_partition_i_of_its_completions(string overlay)
    {
        var job = Workload(overlay, "Job", "index");
        var spec = Spec(job);
        Assert.Equal("Indexed", spec["completionMode"]);
        var completions = Int(spec["completions"]);
        Assert.InRange(Int(spec["parallelism"]), 1, completions);
        Assert.Equal("Never", PodSpec(job)["restartPolicy"]);
        var container = Container(job);
        Assert.Equal(["infra"], List(container["command"]).Cast<string>());
        var args = List(container["args"]).Cast<string>().ToList();
        Assert.Equal("index", args[0]);
        var partition = args[args.IndexOf("--partition") + 1];
        Assert.Equal($"$(JOB_COMPLETION_INDEX)/{completions}", partition);
        var index = Map(Assert.Single(List(container["env"]).Select(Map), e => Equals(e["name"], "JOB_COMPLETION_INDEX")));
        Assert.Equal("metadata.annotations['batch.kubernetes.io/job-completion-index']", Map(Map(index["valueFrom"])["fieldRef"])["fieldPath"]);
        // The corpus path in the command is on a mounted volume.
        Assert.Contains(List(container["volumeMounts"]).Select(Map), m => args[1].StartsWith((string)m["mountPath"] + "/", StringComparison.Ordinal));
    }

    [Theory]
    [MemberData(nameof(Overlays))]
    public void Every_api_key_comes_from_the_secret(string overlay)
    {
        foreach (var document in Pods(overlay))
        {
            var keys = 0;
            foreach (var env in Containers(document).SelectMany(c => List(c["env"]).Select(Map)))
            {
                var name = (string)env["name"];
                if (!name.Contains("APIKEY", StringComparison.OrdinalIgnoreCase)) continue;
                Assert.False(env.ContainsKey("value"), $"{overlay}/{Name(document)}: {name} is a literal");
                var reference = Map(Map(env["valueFrom"])["secretKeyRef"]);
                Assert.Equal(SecretName, reference["name"]);
                Assert.Equal("api-key", reference["key"]);
                keys++;
            }
            Assert.True(keys == 1, $"{overlay}/{Name(document)}: {keys} API key settings");
        }
    }

    [Theory]
    [MemberData(nameof(Overlays))]
    public void Every_container_states_its_requests_and_a_memory_limit(string overlay)
    {
        foreach (var document in Pods(overlay))
            foreach (var container in Containers(document))
            {
                var resources = Map(container["resources"]);
                var requests = Map(resources["requests"]);
                Assert.True(requests.ContainsKey("cpu") && requests.ContainsKey("memory"), $"{overlay}/{Name(document)}: requests need cpu and memory");
                Assert.True(Map(resources["limits"]).ContainsKey("memory"), $"{overlay}/{Name(document)}: no memory limit");
            }
        AssertOnlyGradientsAsksForAGpu(overlay);
    }

    [Theory]
    [MemberData(nameof(Overlays))]
    public void Paths_in_settings_are_mounted_and_claims_exist(string overlay)
    {
        var claims = KubernetesRender.Overlay(overlay).Where(d => Equals(d["kind"], "PersistentVolumeClaim")).Select(Name).ToHashSet();
        foreach (var document in Pods(overlay))
        {
            var volumes = PodSpec(document).TryGetValue("volumes", out var v) ? List(v).Select(Map).ToList() : [];
            foreach (var volume in volumes.Where(x => x.ContainsKey("persistentVolumeClaim")))
                Assert.True(claims.Contains((string)Map(volume["persistentVolumeClaim"])["claimName"]), $"{overlay}/{Name(document)}: claim of volume {volume["name"]} is not rendered");
            var templates = Equals(document["kind"], "StatefulSet") ? List(Spec(document)["volumeClaimTemplates"]).Select(t => Name(Map(t))) : [];
            var declared = volumes.Select(x => (string)x["name"]).Concat(templates).ToHashSet();
            foreach (var container in Containers(document))
            {
                var mounts = List(container["volumeMounts"]).Select(Map).ToList();
                foreach (var mount in mounts)
                    Assert.True(declared.Contains((string)mount["name"]), $"{overlay}/{Name(document)}: mount {mount["name"]} has no volume");
                var targets = mounts.Select(m => (string)m["mountPath"]).ToHashSet();
                foreach (var (key, value) in Env(container).Where(kv => kv.Key.EndsWith("Path", StringComparison.Ordinal) || kv.Key.EndsWith("Root", StringComparison.Ordinal)))
                    Assert.True(value is not null && targets.Contains(value), $"{overlay}/{Name(document)}: {key}={value} is not a mounted folder");
            }
        }
    }

    [Theory]
    [MemberData(nameof(Overlays))]
    public void Images_are_built_by_Dockerfiles_that_run_the_probed_assembly(string overlay)
    {
        var dockerfiles = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["infra/gradients"] = Path.Combine(KubernetesRender.Root, "compose", "gradients.Dockerfile"),
            ["infra/scoring"] = Path.Combine(KubernetesRender.Root, "compose", "scoring.Dockerfile"),
            ["infra/aggregation"] = Path.Combine(KubernetesRender.Root, "compose", "aggregation.Dockerfile"),
            ["infra/cli"] = Path.Combine(KubernetesRender.KubernetesDir, "cli.Dockerfile"),
        };
        foreach (var document in Pods(overlay))
            foreach (var container in Containers(document))
            {
                var image = ((string)container["image"]).Split(':');
                Assert.True(image.Length == 2 && image[1].Length > 0, $"{overlay}/{Name(document)}: image {container["image"]} has no tag");
                Assert.True(dockerfiles.TryGetValue(image[0], out var dockerfile), $"{overlay}/{Name(document)}: {image[0]} is not an image this repository builds");
                var text = File.ReadAllText(dockerfile!);
                var publish = PublishLine().Match(text);
                Assert.True(publish.Success && File.Exists(Path.Combine(KubernetesRender.Root, publish.Groups[1].Value)), $"{dockerfile}: no dotnet publish of an existing project");
                if (DeploymentSettings.Projects.TryGetValue(Name(document), out var project))
                    Assert.Contains($"ENTRYPOINT [\"dotnet\", \"{project}.dll\"]", text, StringComparison.Ordinal);
            }
    }

    private static void AssertOnlyGradientsAsksForAGpu(string overlay)
    {
        foreach (var document in Pods(overlay).Where(d => !Equals(Name(d), "gradients")))
            foreach (var container in Containers(document))
                Assert.False(Map(Map(container["resources"])["limits"]).ContainsKey("nvidia.com/gpu"), $"{overlay}/{Name(document)} must not ask for a GPU");
    }

    // The port the image listens on: its Dockerfile's ASPNETCORE_HTTP_PORTS, also what compose maps.
    // A comma-separated address list (the scoring shards), trimmed.
    private static List<string> Split(string? list) => (list ?? "").Split(',').Select(a => a.Trim()).ToList();

    private static int ImagePort(string service)
    {
        var text = File.ReadAllText(Path.Combine(KubernetesRender.Root, "compose", $"{service}.Dockerfile"));
        return int.Parse(PortLine().Match(text).Groups[1].Value, CultureInfo.InvariantCulture);
    }

    private static Dictionary<string, string?> Environment(string overlay, string service) =>
        Env(Container(Workload(overlay, service == "scoring" ? "StatefulSet" : "Deployment", service)));

    // name -> literal value; null when it comes from valueFrom.
    private static Dictionary<string, string?> Env(Dictionary<object, object> container) =>
        List(container["env"]).Select(Map).ToDictionary(e => (string)e["name"], e => e.TryGetValue("value", out var v) ? (string?)v : null, StringComparer.Ordinal);

    private static IEnumerable<Dictionary<object, object>> Pods(string overlay) =>
        KubernetesRender.Overlay(overlay).Where(d => d["kind"] is "Deployment" or "StatefulSet" or "Job");

    private static Dictionary<object, object> Workload(string overlay, string kind, string name) => Find(overlay, kind, name);

    private static Dictionary<object, object> Find(string overlay, string kind, string name) =>
        Assert.Single(KubernetesRender.Overlay(overlay), d => Equals(d["kind"], kind) && Name(d) == name);

    private static Dictionary<object, object> Container(Dictionary<object, object> workload) => Assert.Single(Containers(workload));

    private static List<Dictionary<object, object>> Containers(Dictionary<object, object> workload)
    {
        var pod = PodSpec(workload);
        var all = List(pod["containers"]).Select(Map).ToList();
        if (pod.TryGetValue("initContainers", out var init)) all.AddRange(List(init).Select(Map));
        return all;
    }

    private static Dictionary<object, object> PodSpec(Dictionary<object, object> workload) => Spec(Map(Spec(workload)["template"]));

    private static Dictionary<object, object> Spec(Dictionary<object, object> document) => Map(document["spec"]);

    private static string Name(Dictionary<object, object> document) => (string)Map(document["metadata"])["name"];

    private static int Int(object node) => int.Parse((string)node, CultureInfo.InvariantCulture);

    private static Dictionary<object, object> Map(object node) => Assert.IsType<Dictionary<object, object>>(node);

    private static List<object> List(object node) => Assert.IsType<List<object>>(node);

    [GeneratedRegex(@"new\(""([A-Za-z:]+)"", ""--")]
    private static partial Regex SettingKey();

    [GeneratedRegex(@"^ENV ASPNETCORE_HTTP_PORTS=(\d+)$", RegexOptions.Multiline)]
    private static partial Regex PortLine();

    [GeneratedRegex(@"dotnet publish (\S+\.csproj)")]
    private static partial Regex PublishLine();
}
