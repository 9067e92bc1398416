using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;
using Infra.Core.Checkpoints;
using Infra.Core.Compression;
using Infra.Core.Text;
using Infra.Torch.Gradients;
using Infra.Torch.Model;
using Infra.Torch.Training;
using Infra.Validation.Influence;
using static TorchSharp.torch;

namespace Infra.Validation.Lds;

/// <summary>
/// The linear datamodeling score (Park et al. 2023) of every influence method against retraining: train a model on
/// all training examples and score them (every method x projection); retrain from the same initial weights, data-order
/// seed and step count on <see cref="LdsOptions.Subsets"/> random subsets; predict each subset's f as the sum of its
/// members' scores (a positive score means up-weighting the example raises f, so removing the others lowers it by
/// theirs); LDS = Spearman(predicted, actual) across subsets, per query, averaged over queries.
/// </summary>
/// <remarks>
/// The run folder makes it resumable: <c>run.json</c> (the arguments; another run's folder is refused unless
/// overwriting), <c>full-model/</c> (fp32 checkpoint), <c>scores/&lt;projection&gt;.json</c>, and one
/// <c>subsets/*.json</c> per retrained model, each written atomically when done. A rerun trains only what is missing.
/// </remarks>
/// <param name="options">The run's arguments.</param>
/// <param name="runFolder">Where everything is written.</param>
/// <param name="output">Progress lines.</param>
public sealed class LdsRun(LdsOptions options, string runFolder, TextWriter output)
{
    private const string ArgumentsFile = "run.json";

    /// <summary>
    /// Share the retraining with other processes on the same run folder: this one takes the models whose position in
    /// the job list is <c>Index</c> modulo <c>Count</c>, last first (so a plain run, which goes first to last, meets it
    /// in the middle), and writes the results only when every model is measured. Null (the default) trains all.
    /// </summary>
    public (int Index, int Count)? Worker { get; init; }

    /// <summary>Models trained by this invocation (the full-data one included); 0 on a rerun of a finished run.</summary>
    public int ModelsTrained { get; private set; }

    /// <summary>
    /// Runs (or continues) the whole experiment and writes <c>results.json</c> and <c>results.md</c>; returns null when
    /// <see cref="Worker"/> is set and other workers still have models to train.
    /// </summary>
    /// <exception cref="LdsRunMismatchException">The folder holds a run with other arguments and <paramref name="overwrite"/> is false.</exception>
    public LdsResults? Run(bool overwrite = false, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        var tokenizer = HfTokenizer.LoadFolder(options.TokenizerFolder);
        PrepareFolder(overwrite);
        var corpus = LdsCorpus.Build(options, tokenizer);
        var eos = tokenizer.TokenToId("<|im_end|>") ?? throw new InvalidOperationException("the tokenizer has no <|im_end|>");
        var config = ModelConfig(tokenizer.VocabSize, eos);
        output.WriteLine($"[lds] {corpus.Training.Count} training examples, {corpus.Queries.Count} queries, Qwen2 hidden {options.HiddenSize} x {options.Layers} layers, "
            + $"{options.Steps} steps of {options.BatchSize}; {options.Subsets} subsets of {options.SubsetFraction:P0} + {options.NoiseSubsets} noise repeats; run folder {runFolder}");

        var all = Enumerable.Range(0, corpus.Training.Count).ToArray();
        using var full = TrainOrLoadFull(config, corpus, all, cancellationToken, out var fullSeconds);
        var layers = new LayerSelection().Select(full);
        var scores = ScoreOrLoad(full, layers, corpus, cancellationToken);

        var subsets = new List<SubsetResult>();
        var noise = new List<SubsetResult>();
        var jobs = Enumerable.Range(0, options.Subsets).Select(i => (Index: i, Seed: options.DataSeed))
            .Concat(Enumerable.Range(0, options.NoiseSubsets).Select(i => (Index: i, Seed: options.DataSeed + 1))).ToList();
        var clock = Stopwatch.StartNew();
        var trainedHere = 0;
        var order = Enumerable.Range(0, jobs.Count).ToList();
        if (Worker is { } w)
        {
            if (w.Count < 1 || w.Index < 0 || w.Index >= w.Count) throw new ArgumentException($"worker {w.Index}/{w.Count} is not in 0..count-1");
            order = order.Where(j => j % w.Count == w.Index).Reverse().ToList();
        }
        foreach (var j in order)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var (index, seed) = jobs[j];
            var path = SubsetPath(index, seed);
            if (File.Exists(path)) continue;
            var result = TrainSubset(config, corpus, index, seed, cancellationToken);
            if (File.Exists(path)) continue; // another worker got there first
            JsonFiles.Write(path, result);
            trainedHere++;
            ModelsTrained++;
            var remaining = order.Count(k => !File.Exists(SubsetPath(jobs[k].Index, jobs[k].Seed)));
            var eta = TimeSpan.FromSeconds(clock.Elapsed.TotalSeconds / trainedHere * remaining);
            output.WriteLine($"[lds] model {j + 1}/{jobs.Count} (subset {index}, data seed {seed}): {result.Seconds:F1} s, final loss {result.FinalLoss:F3}, "
                + $"mean f {result.Measurements.Average():F3}; {remaining} left{(Worker is null ? "" : " for this worker")}, ETA {eta:hh\\:mm\\:ss}");
        }
        if (trainedHere == 0) output.WriteLine($"[lds] no model left to train for this invocation in {runFolder}");
        foreach (var (index, seed) in jobs)
        {
            var result = JsonFiles.Read<SubsetResult>(SubsetPath(index, seed));
            if (result is null)
            {
                output.WriteLine($"[lds] other workers are still training; the last one to finish (or a plain rerun) writes the results");
                return null;
            }
            (seed == options.DataSeed ? subsets : noise).Add(result);
        }

        var results = LdsAnalysis.Analyse(options, corpus, full, layers, scores, subsets, noise,
            fullSeconds + scores.Sum(s => s.Seconds) + subsets.Concat(noise).Sum(s => s.Seconds));
        JsonFiles.Write(Path.Combine(runFolder, "results.json"), results);
        JsonFiles.WriteText(Path.Combine(runFolder, "results.md"), LdsMarkdown.Render(results));
        output.Write(LdsMarkdown.Table(results));
        return results;
    }

    /// <summary>The model of every run: a Qwen2 of the options' size, 4x MLP, 4 heads, 2 KV heads, tied embeddings.</summary>
    public HfModelConfig ModelConfig(int vocabSize, int eosTokenId) => new()
    {
        ModelType = "qwen2",
        HiddenSize = options.HiddenSize,
        IntermediateSize = 4 * options.HiddenSize,
        NumHiddenLayers = options.Layers,
        NumAttentionHeads = 4,
        NumKeyValueHeads = 2,
        VocabSize = vocabSize,
        MaxPositionEmbeddings = Math.Max(options.MaxTokens, 16),
        RopeTheta = 1_000_000,
        TieWordEmbeddings = true,
        EosTokenId = eosTokenId,
    };

    private void PrepareFolder(bool overwrite)
    {
        var document = new { options = options, tokenizer_sha256 = TokenizerHash() };
        var arguments = JsonFiles.Serialize(document);
        var path = Path.Combine(runFolder, ArgumentsFile);
        if (File.Exists(path))
        {
            var existing = File.ReadAllText(path);
            if (existing == arguments) return;
            // A format-1 run folder made with the same arguments resumes (its files read as format 1), its run.json rewritten.
            if (existing == JsonSerializer.Serialize(document, JsonFiles.FormatOne))
            {
                JsonFiles.WriteText(path, arguments);
                return;
            }
            if (!overwrite)
                throw new LdsRunMismatchException($"{runFolder} holds an LDS run made with other arguments ({path}); use another folder or overwrite");
            Directory.Delete(runFolder, recursive: true);
        }
        Directory.CreateDirectory(runFolder);
        JsonFiles.WriteText(path, arguments);
    }

    private string TokenizerHash()
    {
        var bytes = File.ReadAllBytes(Path.Combine(options.TokenizerFolder, "tokenizer.json"))
            .Concat(File.ReadAllBytes(Path.Combine(options.TokenizerFolder, "tokenizer_config.json"))).ToArray();
        return Convert.ToHexStringLower(SHA256.HashData(bytes));
    }

    private Qwen2ForCausalLM TrainOrLoadFull(HfModelConfig config, LdsCorpus corpus, int[] members, CancellationToken token, out double seconds)
    {
        var folder = Path.Combine(runFolder, "full-model");
        var meta = Path.Combine(runFolder, "full-model.json");
        if (Directory.Exists(folder) && File.Exists(meta))
        {
            seconds = JsonFiles.Read<SubsetResult>(meta)!.Seconds;
            output.WriteLine($"[lds] full-data model loaded from {folder}");
            using var checkpoint = CheckpointFolder.Open(folder);
            var loaded = CheckpointLoader.Load(checkpoint, CPU, ScalarType.Float32);
            loaded.eval();
            return loaded;
        }
        var clock = Stopwatch.StartNew();
        var (model, loss) = Train(config, corpus, members, options.DataSeed, token);
        var f = Measurement.MeanAnswerLogLikelihood(model, corpus.Queries);
        // Write the checkpoint beside, then rename: a folder that exists is complete.
        var temp = folder + ".tmp";
        if (Directory.Exists(temp)) Directory.Delete(temp, recursive: true);
        if (Directory.Exists(folder)) Directory.Delete(folder, recursive: true);
        CheckpointLoader.Save(model, temp, TensorDType.F32);
        Directory.Move(temp, folder);
        seconds = clock.Elapsed.TotalSeconds;
        JsonFiles.Write(meta, new SubsetResult { Index = -1, DataSeed = options.DataSeed, Members = members, Measurements = f, FinalLoss = loss, Seconds = seconds });
        ModelsTrained++;
        output.WriteLine($"[lds] full-data model trained in {seconds:F1} s, final loss {loss:F3}, mean f {f.Average():F3}");
        return model;
    }

    private List<ScoredProjection> ScoreOrLoad(Qwen2ForCausalLM full, IReadOnlyList<TrackedLayer> layers, LdsCorpus corpus, CancellationToken token)
    {
        var folder = Path.Combine(runFolder, "scores");
        Directory.CreateDirectory(folder);
        var specs = options.ProjectionDims.Distinct().Order()
            .Select(k => new ProjectionSpec { KIn = k, KOut = k, Seed = options.ProjectionSeed })
            .Append(ProjectionSpec.Exact).ToList();
        var result = new List<ScoredProjection>();
        Infra.Torch.Ekfac.EkfacFactorSet? fullSpace = null;
        string? fingerprint = null;
        try
        {
            foreach (var spec in specs)
            {
                token.ThrowIfCancellationRequested();
                var label = spec.Identity ? "full" : $"k={spec.KIn}";
                var path = Path.Combine(folder, (spec.Identity ? "full" : $"k{spec.KIn}") + ".json");
                if (JsonFiles.Read<ScoredProjection>(path) is { } saved)
                {
                    result.Add(saved);
                    continue;
                }
                var clock = Stopwatch.StartNew();
                if (fingerprint is null)
                {
                    using var checkpoint = CheckpointFolder.Open(Path.Combine(runFolder, "full-model"));
                    fingerprint = checkpoint.ComputeFingerprint();
                }
                var estimator = new InfluenceEstimator(full, layers, fingerprint);
                fullSpace ??= estimator.FitFullSpaceEkfac(corpus.Training);
                var store = Path.Combine(runFolder, "stores", label.Replace('=', '-'));
                if (Directory.Exists(store)) Directory.Delete(store, recursive: true);
                var scores = estimator.Score(corpus.Training, corpus.Queries, spec, store, InfluenceEstimator.AllMethods, fullSpace);
                // The scores are all the run needs; the store (token factors of every example) would dominate the folder.
                Directory.Delete(store, recursive: true);
                var scored = new ScoredProjection(label, clock.Elapsed.TotalSeconds, scores);
                JsonFiles.Write(path, scored);
                result.Add(scored);
                output.WriteLine($"[lds] influence scores for projection {label}: {string.Join(", ", scores.Scores.Keys)} in {scored.Seconds:F1} s");
            }
        }
        finally
        {
            fullSpace?.Dispose();
        }
        return result;
    }

    private SubsetResult TrainSubset(HfModelConfig config, LdsCorpus corpus, int index, int seed, CancellationToken token)
    {
        var clock = Stopwatch.StartNew();
        var members = SubsetSampler.Draw(corpus.Training.Count, options.SubsetFraction, options.SubsetSeed, index);
        var (model, loss) = Train(config, corpus, members, seed, token);
        using (model)
        {
            var f = Measurement.MeanAnswerLogLikelihood(model, corpus.Queries);
            return new SubsetResult { Index = index, DataSeed = seed, Members = members, Measurements = f, FinalLoss = loss, Seconds = clock.Elapsed.TotalSeconds };
        }
    }

    private (Qwen2ForCausalLM Model, double FinalLoss) Train(HfModelConfig config, LdsCorpus corpus, IReadOnlyList<int> members, int dataSeed, CancellationToken token)
    {
        var model = SeededCheckpoint.Create(config, options.InitSeed);
        try
        {
            var sft = new SftOptions
            {
                LearningRate = options.LearningRate,
                WarmupSteps = options.WarmupSteps,
                BatchSize = options.BatchSize,
                MaxSteps = options.Steps,
                MaxLength = options.MaxTokens,
                Seed = dataSeed,
            };
            var result = new SftTrainer(model, sft).Train(corpus.TrainingFor(members), null, token);
            model.eval();
            return (model, result.FinalLoss);
        }
        catch
        {
            model.Dispose();
            throw;
        }
    }

    private string SubsetPath(int index, int seed)
    {
        var folder = Path.Combine(runFolder, "subsets");
        Directory.CreateDirectory(folder);
        return Path.Combine(folder, string.Create(CultureInfo.InvariantCulture, $"subset-{index:D3}-seed-{seed}.json"));
    }
}
