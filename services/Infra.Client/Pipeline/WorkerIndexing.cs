using Grpc.Core;
using Infra.Client.Workers;
using Infra.Contracts.Gradients.V1;

namespace Infra.Client.Pipeline;

/// <summary>
/// Indexing over several GradientService workers: the examples the store lacks are cut into units — one shard's examples,
/// in corpus order, <see cref="IndexSettings.BatchesPerUnit"/> whole batches each, so every example is in the batch it
/// would be in with one GradientService — queued round-robin over the shards, and the workers pull them from the queue
/// (<see cref="WorkerPool"/>), each unit one ComputeGradients call forwarding to its shard. A worker that dies mid-unit is
/// retired and the unit requeued: what it forwarded is stored already and the store skips it when the unit is sent again
/// (ingest is idempotent by id). A shard that fails fails the run, naming it, as with one GradientService.
/// </summary>
internal sealed class WorkerIndexing(GradientWorkerSet workers, GradientOptions options, int batchesPerUnit, IProgressSink? progress)
{
    private readonly Lock _gate = new();
    private long[] _examples = [];
    private long[] _tokens = [];

    /// <summary>Stored and skipped over all units (a unit sent twice counts its first attempt's examples as skipped).</summary>
    public (ulong Stored, ulong Skipped) Totals { get; private set; }

    /// <summary>Tokens of every unit's last attempt.</summary>
    public long Tokens { get; private set; }

    /// <summary>Sends <paramref name="todo"/> to the shards <paramref name="targets"/> (example i to shard CorpusPartition.IndexOf(id, count)).</summary>
    public async Task RunAsync(IReadOnlyList<Example> todo, IReadOnlyList<Uri> targets, CancellationToken token)
    {
        var all = await workers.WorkersAsync(token).ConfigureAwait(false);
        // Whole batches from each shard's first example: the batches one GradientService makes of that shard's call.
        var batch = options.BatchSize > 0 ? (int)options.BatchSize : await workers.DefaultBatchSizeAsync(all, token).ConfigureAwait(false);
        var size = batch * Math.Max(1, batchesPerUnit);
        var units = Cut(todo, targets.Count, size).Select((u, i) => new Unit(i, targets[u.Shard], u.Examples)).ToList();
        (_examples, _tokens) = (new long[units.Count], new long[units.Count]);
        await WorkerPool.RunAsync(all, units, SendAsync, workers, token).ConfigureAwait(false);
        Tokens = _tokens.Sum();
    }

    /// <summary>
    /// The units of <paramref name="todo"/>: each shard's examples in their order, cut every <paramref name="size"/>, queued
    /// round-robin over the shards (each shard's first unit, then each one's second, ...) so the workers in flight write to
    /// different shards rather than all to one, and every shard's store grows from the start.
    /// </summary>
    internal static List<(int Shard, IReadOnlyList<Example> Examples)> Cut(IReadOnlyList<Example> todo, int shards, int size) =>
        todo.GroupBy(e => CorpusPartition.IndexOf(e.Id, shards))
            .SelectMany(g => g.Chunk(size).Select((chunk, k) => (Round: k, Shard: g.Key, Examples: (IReadOnlyList<Example>)chunk)))
            .OrderBy(u => u.Round).ThenBy(u => u.Shard)
            .Select(u => (u.Shard, u.Examples)).ToList();

    private async Task SendAsync(GradientWorker worker, Unit unit, CancellationToken token)
    {
        var forward = options.Clone();
        forward.ForwardTo = unit.Shard.ToString();
        Report(unit.Index, 0, 0); // a requeued unit starts over
        ForwardSummary? summary = null;
        await DuplexCall.RunAsync(
            call => worker.Client.ComputeGradients(cancellationToken: call),
            new ComputeGradientsRequest { Options = forward }, unit.Examples.Select(e => new ComputeGradientsRequest { Example = e }),
            message =>
            {
                if (message.ItemCase == ComputeGradientsResponse.ItemOneofCase.Forwarded) summary = message.Forwarded;
                else if (message.ItemCase == ComputeGradientsResponse.ItemOneofCase.Progress)
                    Report(unit.Index, (long)message.Progress.ExamplesDone, (long)message.Progress.TokensDone);
            }, token).ConfigureAwait(false);
        if (summary is null) throw new RpcException(new Status(StatusCode.Internal, $"{worker.Name} ended the stream without a forward summary"));
        lock (_gate) Totals = (Totals.Stored + summary.Stored, Totals.Skipped + summary.Skipped);
    }

    // Each unit's own progress, summed: units run concurrently, and a requeued unit's progress restarts from zero.
    private void Report(int unit, long examples, long tokens)
    {
        long doneExamples, doneTokens;
        lock (_gate)
        {
            (_examples[unit], _tokens[unit]) = (examples, tokens);
            (doneExamples, doneTokens) = (_examples.Sum(), _tokens.Sum());
        }
        progress?.Report(doneExamples, doneTokens);
    }

    private sealed record Unit(int Index, Uri Shard, IReadOnlyList<Example> Examples);
}
