using Grpc.Core;

namespace Infra.Client.Sharding;

/// <summary>An <see cref="IAsyncStreamReader{T}"/> over an async sequence: how a merged stream is handed to a generated client's caller.</summary>
internal sealed class AsyncEnumerableReader<T>(IAsyncEnumerable<T> source) : IAsyncStreamReader<T>
{
    private IAsyncEnumerator<T>? _enumerator;

    public T Current => _enumerator is { } e ? e.Current : throw new InvalidOperationException("MoveNext has not been called");

    public async Task<bool> MoveNext(CancellationToken cancellationToken)
    {
        _enumerator ??= source.GetAsyncEnumerator(cancellationToken);
        return await _enumerator.MoveNextAsync().ConfigureAwait(false);
    }
}
