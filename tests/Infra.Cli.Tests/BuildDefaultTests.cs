using System.Text.Json;
using Infra.Cli.Lab;
using Infra.Core.Checkpoints;
using Infra.Core.Text;
using Infra.Corpus;
using Infra.Lab.Schema;
using Infra.Torch.Model;
using static TorchSharp.torch;

namespace Infra.Cli.Tests;

/// <summary><c>infra lab build-default --quick</c> end to end: every artifact written, and each one readable by what consumes it.</summary>
public sealed class BuildDefaultTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("infra-lab-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    [Fact]
    [Trait("Category", "EndToEnd")]
    public void Quick_build_writes_a_loadable_model_tokenizer_corpus_accuracy_and_query_sets()
    {
        var options = new DefaultModelOptions { OutputPath = _root, Seed = 7, Quick = true };
        using var output = new StringWriter();
        Assert.Equal(0, new DefaultModelBuilder(options, output).Run());
        Assert.Contains("[train] step", output.ToString(), StringComparison.Ordinal);

        var model = Path.Combine(_root, DefaultModelFiles.Model);
        var corpus = Path.Combine(_root, DefaultModelFiles.Corpus);
        foreach (var file in new[] { "config.json", "model.safetensors", "tokenizer.json", "tokenizer_config.json" })
            Assert.True(File.Exists(Path.Combine(model, file)), file);
        foreach (var file in new[] { "train.jsonl", "heldout.jsonl", "manifest.json", DefaultModelFiles.TrainSample })
            Assert.True(File.Exists(Path.Combine(corpus, file)), file);
        foreach (var file in new[] { DefaultModelFiles.AccuracyJson, DefaultModelFiles.AccuracyMarkdown, DefaultModelFiles.MathQueries, DefaultModelFiles.CodeQueries })
            Assert.True(File.Exists(Path.Combine(_root, file)), file);

        var train = CorpusReader.ReadFile(Path.Combine(corpus, "train.jsonl"));
        var heldOut = CorpusReader.ReadFile(Path.Combine(corpus, "heldout.jsonl"));
        Assert.True(train.IsValid && heldOut.IsValid);
        Assert.NotEmpty(train.Records);
        Assert.Equal(["code", "math"], train.Records.Select(r => r.Domain).Distinct().Order(StringComparer.Ordinal));

        var tokenizer = HfTokenizer.LoadFolder(model);
        foreach (var text in train.Records.Concat(heldOut.Records).SelectMany(r => new[] { r.Prompt, r.Response }))
            Assert.Equal(text, tokenizer.Decode(tokenizer.Encode(text).Ids));

        var checkpoint = CheckpointFolder.Open(model);
        Assert.All(checkpoint.TensorNames, name => Assert.Equal(TensorDType.BF16, checkpoint.Info(name).DType));
        using (var loaded = CheckpointLoader.Load(checkpoint, CPU, ScalarType.Float32))
            Assert.Equal(tokenizer.VocabSize, loaded.Config.VocabSize);

        using var accuracy = JsonDocument.Parse(File.ReadAllText(Path.Combine(_root, DefaultModelFiles.AccuracyJson)));
        var evaluation = accuracy.RootElement.GetProperty("evaluation");
        var cells = evaluation.GetProperty("cells").EnumerateArray().ToList();
        Assert.Equal(heldOut.Records.Count, evaluation.GetProperty("items").GetInt32());
        Assert.Equal(heldOut.Records.Select(r => (r.Domain.ToString().ToLowerInvariant(), r.Difficulty)).Distinct().Order(),
            cells.Select(c => (c.GetProperty("domain").GetString()!, c.GetProperty("difficulty").GetInt32())).Order());
        Assert.Equal(evaluation.GetProperty("correct").GetInt32(), cells.Sum(c => c.GetProperty("correct").GetInt32()));
        Assert.Equal(7, accuracy.RootElement.GetProperty("seed").GetInt32());

        // Only correctly answered held-out problems become queries, each with its reference solution.
        var queries = new[] { DefaultModelFiles.MathQueries, DefaultModelFiles.CodeQueries }
            .SelectMany(f => CorpusReader.ReadFile(Path.Combine(_root, f)).Records).ToList();
        Assert.Equal(evaluation.GetProperty("correct").GetInt32(), queries.Count);
        Assert.All(queries, q => Assert.True(LabRecords.Check(q).Correct));
    }
}
