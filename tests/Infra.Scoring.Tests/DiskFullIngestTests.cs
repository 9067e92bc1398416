using Grpc.Core;
using Infra.Contracts.Scoring.V1;
using Infra.Core.Store;
using Microsoft.Extensions.DependencyInjection;

namespace Infra.Scoring.Tests;

/// <summary>
/// The disk fills during an ingest into a running ScoringService (a registered write hook fails like ENOSPC): the
/// caller gets RESOURCE_EXHAUSTED naming the store, the service reports only what reached the disk, and the same
/// ingest sent again to the same process (no restart) stores every example exactly once.
/// </summary>
public sealed class DiskFullIngestTests(PipelineFixture fixture) : IClassFixture<PipelineFixture>
{
    [Fact]
    public async Task A_full_disk_fails_the_ingest_with_resource_exhausted_and_a_resend_without_restart_stores_each_example_once()
    {
        var store = Path.Combine(fixture.Root, "store-" + Guid.NewGuid().ToString("N")[..8]);
        var metadataWrites = 0;
        var full = true;
        // Shards hold 6 examples: the first commits in-stream; the last 5, flushed when the stream ends, meet a full disk.
        void Hook(StoreWriteStep step, string path)
        {
            if (step == StoreWriteStep.ShardMetadata && Interlocked.Increment(ref metadataWrites) > 1 && Volatile.Read(ref full))
                throw new IOException($"No space left on device : '{path}'", 28);
        }
        var messages = await fixture.ComputeAsync(fixture.Corpus.Take(11));
        var ids = fixture.Corpus.Take(11).Select(e => e.Id).ToList();
        await using (var scoring = await LoopbackScoring.StartAsync(store, services => services.AddSingleton<StoreWriteHook>(Hook)))
        {
            var client = scoring.Client;
            var failed = await Assert.ThrowsAsync<RpcException>(() => ScoringClient.IngestAsync(client, fixture.Header(), messages));
            Assert.Equal(StatusCode.ResourceExhausted, failed.StatusCode);
            Assert.Contains(store, failed.Status.Detail, StringComparison.Ordinal);
            Assert.DoesNotContain(".tmp-", failed.Status.Detail, StringComparison.Ordinal);
            // What the service reports is what is on disk: the first shard, and the other five are missing.
            Assert.Equal(6ul, (await client.StoreInfoAsync(new StoreInfoRequest())).Examples);
            Assert.Equal(ids.Skip(6), (await client.MissingExamplesAsync(new MissingExamplesRequest { Ids = { ids } })).Ids);

            Volatile.Write(ref full, false); // space freed
            var resumed = await ScoringClient.IngestAsync(client, fixture.Header(), messages);
            Assert.Equal((11ul, 5ul, 6ul, 11ul), (resumed.Received, resumed.Stored, resumed.Skipped, resumed.StoreExamples));
            Assert.Empty((await client.MissingExamplesAsync(new MissingExamplesRequest { Ids = { ids } })).Ids);
        }
        using var reopened = GradientStore.Open(store);
        Assert.Equal(ids, reopened.Shards.SelectMany(s => s.Metadata.Ids).Order(StringComparer.Ordinal));
        var named = reopened.Shards.SelectMany(s => s.Entry.Files).Select(f => f.Name).ToHashSet(StringComparer.Ordinal);
        Assert.DoesNotContain(Directory.EnumerateFiles(Path.Combine(store, "shards")), f => !named.Contains(Path.GetFileName(f)));
    }
}
