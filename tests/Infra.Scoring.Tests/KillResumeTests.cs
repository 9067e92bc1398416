using System.Text.Json;
using Grpc.Core;
using Infra.Contracts.Gradients.V1;
using Infra.Contracts.Scoring.V1;

namespace Infra.Scoring.Tests;

/// <summary>kill -9 of the ScoringService in the middle of an ingest, then resume: nothing lost, nothing doubled.</summary>
public sealed class KillResumeTests(PipelineFixture fixture) : IClassFixture<PipelineFixture>
{
    [Fact]
    [Trait("Category", "EndToEnd")]
    public async Task A_killed_ingest_resumes_to_the_same_store_and_scores_as_an_uninterrupted_one()
    {
        var reference = Path.Combine(fixture.Root, "reference-store");
        var crashed = Path.Combine(fixture.Root, "crashed-store");
        using (var service = await ScoringProcess.StartAsync(reference, shardExamples: 3))
        {
            await ScoringClient.IngestAsync(service.Client, fixture.Header(WireDtype.Bfloat16), fixture.GradientMessages);
        }

        var firstHalf = fixture.Corpus.Take(12).Select(e => e.Id).ToHashSet();
        using (var service = await ScoringProcess.StartAsync(crashed, shardExamples: 3))
        {
            using var call = service.Client.Ingest();
            await call.RequestStream.WriteAsync(new IngestRequest { Header = fixture.Header(WireDtype.Bfloat16) });
            foreach (var m in fixture.GradientMessages.Where(m => firstHalf.Contains(ExampleId(m))))
                await call.RequestStream.WriteAsync(new IngestRequest { Gradient = m });
            // Wait until shards are committed while the stream is still open, then crash.
            var deadline = DateTime.UtcNow.AddSeconds(60);
            while (CommittedShards(crashed) < 3 && DateTime.UtcNow < deadline) await Task.Delay(50);
            Assert.True(CommittedShards(crashed) >= 3, "the service committed shards during the ingest");
            service.KillHard();
        }

        using (var service = await ScoringProcess.StartAsync(crashed, shardExamples: 3))
        {
            var before = await service.Client.StoreInfoAsync(new StoreInfoRequest());
            Assert.InRange(before.Examples, 9ul, 12ul);
            var missingRequest = new MissingExamplesRequest();
            missingRequest.Ids.AddRange(fixture.Corpus.Select(e => e.Id));
            var missing = (await service.Client.MissingExamplesAsync(missingRequest)).Ids.ToHashSet();
            Assert.Equal(20 - (int)before.Examples, missing.Count);
            // Resume sends everything: stored examples are skipped, the rest stored once.
            var resumed = await ScoringClient.IngestAsync(service.Client, fixture.Header(WireDtype.Bfloat16), fixture.GradientMessages);
            Assert.Equal((ulong)missing.Count, resumed.Stored);
            Assert.Equal(before.Examples, resumed.Skipped);
            Assert.Equal(20ul, resumed.StoreExamples);
        }

        var referenceScores = await AllScoresAsync(reference);
        var crashedScores = await AllScoresAsync(crashed);
        Assert.Equal(20, referenceScores.Count);
        Assert.Equal(referenceScores.OrderBy(kv => kv.Key), crashedScores.OrderBy(kv => kv.Key));
    }

    private async Task<Dictionary<string, (double, double)>> AllScoresAsync(string store)
    {
        using var service = await ScoringProcess.StartAsync(store, shardExamples: 3);
        await ScoringClient.FitAsync(service.Client, new FitRequest { Name = "ek", Kind = PreconditionerKind.Ekfac, Overwrite = true });
        await ScoringClient.RegisterAsync(service.Client, "q", fixture.Queries, fixture.QueryChunks);
        var responses = await ScoringClient.ScoreAsync(service.Client, new ScoreRequest { QuerySet = "q", Preconditioner = "ek", IncludeAllScores = true });
        return responses.Where(r => r.ItemCase == ScoreResponse.ItemOneofCase.Chunk)
            .SelectMany(r => r.Chunk.ExampleIds.Select((id, row) => (id, (r.Chunk.Raw[row * 2], r.Chunk.Raw[row * 2 + 1]))))
            .ToDictionary(x => x.id, x => x.Item2);
    }

    private static int CommittedShards(string store)
    {
        var path = Path.Combine(store, "manifest.json");
        if (!File.Exists(path)) return 0;
        try
        {
            using var doc = JsonDocument.Parse(File.ReadAllText(path));
            return doc.RootElement.GetProperty("shards").GetArrayLength();
        }
        catch (IOException)
        {
            return 0;
        }
    }

    private static string ExampleId(ComputeGradientsResponse m) => m.ItemCase switch
    {
        ComputeGradientsResponse.ItemOneofCase.Header => m.Header.Id,
        ComputeGradientsResponse.ItemOneofCase.Chunk => m.Chunk.ExampleId,
        ComputeGradientsResponse.ItemOneofCase.Done => m.Done.Id,
        _ => "",
    };
}
