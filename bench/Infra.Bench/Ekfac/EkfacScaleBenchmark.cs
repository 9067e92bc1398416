using System.Diagnostics;
using System.Globalization;
using System.Text;
using Infra.Bench.Scoring;
using Infra.Core.Checkpoints;
using Infra.Core.Text;
using Infra.Torch.Ekfac;
using Infra.Torch.Gradients;
using Infra.Torch.Model;
using static TorchSharp.torch;

namespace Infra.Bench.Ekfac;

/// <summary>
/// Issue 14's memory target for full-space EK-FAC at Qwen2.5-1.5B's real dimensions: writes seeded weights of that shape
/// (with fewer decoder layers) as an HF folder, loads it, fits both phases layer by layer over a few short examples, and
/// reports the time of each phase and the peak RSS (VmHWM, reset after the model is loaded) against
/// one layer's factor bytes + model bytes + 2 GiB. A measurement, not a test: one run, no repetitions.
/// </summary>
internal static class EkfacScaleBenchmark
{
    private const long TwoGiB = 2L << 30;

    public static async Task<int> RunAsync(string[] args)
    {
        if (!EkfacScaleArguments.TryParse(args, out var arguments, out var error))
        {
            await Console.Error.WriteLineAsync(error).ConfigureAwait(false);
            await Console.Error.WriteLineAsync(EkfacScaleArguments.Usage).ConfigureAwait(false);
            return 2;
        }
        var work = arguments.WorkFolder ?? Directory.CreateTempSubdirectory("infra-ekfac-scale-").FullName;
        Directory.CreateDirectory(work);
        try
        {
            var report = Run(arguments, work);
            Directory.CreateDirectory(arguments.OutputFolder);
            await File.WriteAllTextAsync(Path.Combine(arguments.OutputFolder, "ekfac-scale.md"), report).ConfigureAwait(false);
            Console.Write(report);
            return 0;
        }
        finally
        {
            Directory.Delete(work, recursive: true);
        }
    }

    private static string Run(EkfacScaleArguments arguments, string work)
    {
        var clock = Stopwatch.StartNew();
        var config = BenchModels.Qwen15BShape(arguments.Layers);
        var checkpoint = Path.Combine(work, "model");
        using (var seeded = SeededCheckpoint.Create(config, seed: 14))
            CheckpointLoader.Save(seeded, checkpoint);
        Progress(clock, $"wrote the seeded checkpoint ({arguments.Layers} layers) to {checkpoint}");

        Qwen2ForCausalLM model;
        using (var folder = CheckpointFolder.Open(checkpoint))
            model = CheckpointLoader.Load(folder, CPU, ScalarType.Float32);
        using var _ = model;
        // The loader's float[] staging buffers (the 933 MB embedding among them) are garbage now: a service loads its
        // model once at start-up, so they are collected before the fit's peak is measured, not counted in it.
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
        var modelBytes = model.parameters().Sum(p => p.numel() * p.element_size());
        var rssAfterLoad = ProcessMemory.RssBytes();
        var peakReset = ProcessMemory.ResetPeak();
        Progress(clock, $"loaded the model: {Gib(modelBytes)} GiB of parameters, RSS {Gib(rssAfterLoad)} GiB");

        var layers = new LayerSelection().Select(model);
        var computer = new FactorComputer(model, layers);
        var store = new EkfacFactorStore(Path.Combine(work, "factors"));
        var options = new EkfacFitOptions { StorageType = arguments.Storage, SpoolFolder = work };
        var groups = EkfacLayerGroups.Plan(layers, options.GroupBudgetBytes);
        var layerFactorBytes = groups.Max(EkfacLayerGroups.FactorBytes);
        var corpus = Corpus(arguments, config.VocabSize);

        var phases = new List<(string Phase, double AddSeconds, double CommitSeconds, long PeakRss)>();
        foreach (var phase in new[] { EkfacFitPhase.Covariance, EkfacFitPhase.EigenvalueCorrection })
        {
            var add = Stopwatch.StartNew();
            using var pass = EkfacFitPass.Begin(store, computer, "bench", "seeded-qwen15b-shape", phase, overwrite: true, ChatFormat.Qwen25, truncate: false,
                options: options);
            foreach (var batch in corpus.Chunk(2)) pass.Add(batch);
            add.Stop();
            Progress(clock, $"{phase}: first group of {groups.Count} accumulated in {add.Elapsed.TotalSeconds:F1} s; committing (replays + eigendecompositions)");
            var commit = Stopwatch.StartNew();
            pass.Commit();
            commit.Stop();
            phases.Add((phase.ToString(), add.Elapsed.TotalSeconds, commit.Elapsed.TotalSeconds, ProcessMemory.PeakRssBytes()));
            Progress(clock, $"{phase}: committed in {commit.Elapsed.TotalSeconds:F1} s; peak RSS so far {Gib(ProcessMemory.PeakRssBytes())} GiB");
        }
        var stored = Directory.EnumerateFiles(store.PathOf("bench"), "*.safetensors").Sum(f => new FileInfo(f).Length);
        var peak = ProcessMemory.PeakRssBytes();
        var target = layerFactorBytes + modelBytes + TwoGiB;
        return Markdown(arguments, groups.Count, modelBytes, rssAfterLoad, peakReset, layerFactorBytes, stored, phases, peak, target);
    }

    // Seeded ids over the whole vocabulary; the loss on the second half, as a response would be.
    private static List<TokenizedExample> Corpus(EkfacScaleArguments arguments, int vocab)
    {
        var random = new Random(14);
        return Enumerable.Range(0, arguments.Examples).Select(i => new TokenizedExample($"e{i}",
            Enumerable.Range(0, arguments.Tokens).Select(_ => random.Next(vocab)).ToArray(),
            Enumerable.Range(0, arguments.Tokens).Select(t => (byte)(t >= arguments.Tokens / 2 ? 1 : 0)).ToArray())).ToList();
    }

    private static string Markdown(EkfacScaleArguments arguments, int groups, long modelBytes, long rssAfterLoad, bool peakReset, long layerFactorBytes,
        long stored, List<(string Phase, double AddSeconds, double CommitSeconds, long PeakRss)> phases, long peak, long target)
    {
        var text = new StringBuilder();
        var c = CultureInfo.InvariantCulture;
        text.AppendLine(c, $"# EK-FAC fit at Qwen2.5-1.5B dimensions ({arguments.Layers} of 28 layers)");
        text.AppendLine();
        text.AppendLine(c, $"{DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC, {Environment.ProcessorCount} cores, torch threads {get_num_threads()}; {arguments.Examples} examples x {arguments.Tokens} tokens, batches of 2, {groups} groups (one decoder layer each), storage {arguments.Storage}.");
        text.AppendLine();
        text.AppendLine("| phase | first group during the stream (s) | commit: replays + eigendecompositions (s) | peak RSS after (GiB) |");
        text.AppendLine("| --- | ---: | ---: | ---: |");
        foreach (var p in phases)
            text.AppendLine(c, $"| {p.Phase} | {p.AddSeconds:F1} | {p.CommitSeconds:F1} | {Gib(p.PeakRss)} |");
        text.AppendLine();
        text.AppendLine(c, $"- model parameters: {Gib(modelBytes)} GiB (RSS after loading {Gib(rssAfterLoad)} GiB; peak reset after loading: {peakReset})");
        text.AppendLine(c, $"- one layer's float64 factors (gate/up/down, shared A once): {Gib(layerFactorBytes)} GiB; stored factor files: {Gib(stored)} GiB");
        var verdict = peak <= target ? "met" : "NOT met";
        text.AppendLine(c, $"- peak RSS over both phases (VmHWM): {Gib(peak)} GiB; target one layer + model + 2 GiB = {Gib(target)} GiB: {verdict}");
        return text.ToString();
    }

    private static string Gib(long bytes) => (bytes / (double)(1L << 30)).ToString("F2", CultureInfo.InvariantCulture);

    private static void Progress(Stopwatch clock, string message) =>
        Console.Error.WriteLine($"[{clock.Elapsed.TotalSeconds,7:F1} s] {message}");
}
