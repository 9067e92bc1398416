using System.Diagnostics;
using System.Text.Json;
using Infra.Core.Compression;
using Infra.Core.Store;

namespace Infra.Core.Tests.Store;

/// <summary>The store is readable from Python without this project: docs/python/read_store.py (numpy only) decodes what the store wrote.</summary>
public sealed class PythonInteropTests : IDisposable
{
    private readonly string _root = StoreFixtures.TempFolder();

    public void Dispose() => Directory.Delete(_root, recursive: true);

    [Theory]
    [InlineData(FactorDType.Float32)]
    [InlineData(FactorDType.BFloat16)]
    [InlineData(FactorDType.Float16)]
    [InlineData(FactorDType.Int8)]
    public void Python_with_numpy_decodes_the_same_gradients(FactorDType dtype)
    {
        using (var store = GradientStore.OpenOrCreate(_root, StoreFixtures.Schema(dtype)))
        {
            for (var i = 0; i < 5; i++) store.Add(StoreFixtures.Example($"e{i}", i));
            store.Flush();
        }
        var script = Path.Combine(RepoRoot(), "docs", "python", "read_store.py");
        // Debian's interpreter (with python3-numpy from apt) rather than whatever python3 is first on PATH.
        var python = File.Exists("/usr/bin/python3") ? "/usr/bin/python3" : "python3";
        var info = new ProcessStartInfo(python) { ArgumentList = { script, _root, "--json" }, RedirectStandardOutput = true, RedirectStandardError = true };
        using var process = Process.Start(info)!;
        var output = process.StandardOutput.ReadToEnd();
        var error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        Assert.True(process.ExitCode == 0, $"python3 failed (CI installs python3-numpy): {error}");

        var fromPython = JsonSerializer.Deserialize<float[][][]>(output)!;
        using var reopened = GradientStore.Open(_root);
        var shard = reopened.Shards[0];
        for (var row = 0; row < shard.Count; row++)
            for (var l = 0; l < StoreFixtures.Layers.Length; l++)
                Assert.Equal(shard.DecodeExampleGradient(row, l), fromPython[row][l]);
    }

    private static string RepoRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Infra.Services.sln"))) dir = dir.Parent;
        return dir?.FullName ?? throw new DirectoryNotFoundException("repository root (Infra.Services.sln) not found above the test assembly");
    }
}
