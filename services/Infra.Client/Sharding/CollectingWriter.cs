using Grpc.Core;

namespace Infra.Client.Sharding;

/// <summary>A client stream's writer that keeps the messages until the caller completes it (then <see cref="Completed"/> finishes).</summary>
internal sealed class CollectingWriter<T> : IClientStreamWriter<T>
{
    private readonly List<T> _messages = [];
    private readonly TaskCompletionSource _completed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>What was written, in order.</summary>
    public IReadOnlyList<T> Messages => _messages;

    /// <summary>Finishes when <see cref="CompleteAsync"/> is called.</summary>
    public Task Completed => _completed.Task;

    public WriteOptions? WriteOptions { get; set; }

    public Task WriteAsync(T message)
    {
        if (_completed.Task.IsCompleted) throw new InvalidOperationException("the request stream is already complete");
        _messages.Add(message);
        return Task.CompletedTask;
    }

    // Callers that pass their token (InfluencePipeline does) get this overload; the interface's default throws.
    public Task WriteAsync(T message, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return WriteAsync(message);
    }

    public Task CompleteAsync()
    {
        _completed.TrySetResult();
        return Task.CompletedTask;
    }
}
