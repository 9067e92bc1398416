using Infra.Torch.Gradients;

namespace Infra.Torch.Ekfac;

/// <summary>
/// A temporary file of prepared (tokenized, truncated) examples in the batches they arrived in, so a fit whose corpus
/// streams in once can replay it for every further group of layers with the same batches. The file is deleted on
/// <see cref="Dispose"/>, whether the fit committed or failed.
/// </summary>
public sealed class ExampleSpool : IDisposable
{
    private readonly FileStream _stream;
    private readonly BinaryWriter _writer;
    private bool _disposed;

    /// <summary>Creates an empty spool file in <paramref name="folder"/> (null: the system's temp folder).</summary>
    public ExampleSpool(string? folder = null)
    {
        var directory = folder ?? System.IO.Path.GetTempPath();
        Directory.CreateDirectory(directory);
        Path = System.IO.Path.Combine(directory, $"ekfac-spool-{Guid.NewGuid():N}.bin");
        // DeleteOnClose as well: a process that dies still leaves no spool once its handle is closed by the OS.
        _stream = new FileStream(Path, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, 1 << 16, FileOptions.DeleteOnClose);
        _writer = new BinaryWriter(_stream, System.Text.Encoding.UTF8, leaveOpen: true);
    }

    /// <summary>The spool file's path (gone after <see cref="Dispose"/>).</summary>
    public string Path { get; }

    /// <summary>Batches written so far.</summary>
    public int Batches { get; private set; }

    /// <summary>Appends one batch.</summary>
    public void Append(IReadOnlyList<TokenizedExample> batch)
    {
        ArgumentNullException.ThrowIfNull(batch);
        ObjectDisposedException.ThrowIf(_disposed, this);
        _stream.Seek(0, SeekOrigin.End);
        _writer.Write(batch.Count);
        foreach (var e in batch)
        {
            _writer.Write(e.Id);
            _writer.Write(e.Ids.Length);
            foreach (var id in e.Ids) _writer.Write(id);
            _writer.Write(e.LossMask);
            _writer.Write(e.LossScale);
        }
        _writer.Flush();
        Batches++;
    }

    /// <summary>Reads the batches back in the order they were appended.</summary>
    public IEnumerable<IReadOnlyList<TokenizedExample>> Replay()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        _writer.Flush();
        _stream.Seek(0, SeekOrigin.Begin);
        using var reader = new BinaryReader(_stream, System.Text.Encoding.UTF8, leaveOpen: true);
        for (var b = 0; b < Batches; b++)
        {
            var count = reader.ReadInt32();
            var batch = new TokenizedExample[count];
            for (var i = 0; i < count; i++)
            {
                var id = reader.ReadString();
                var ids = new int[reader.ReadInt32()];
                for (var j = 0; j < ids.Length; j++) ids[j] = reader.ReadInt32();
                var mask = reader.ReadBytes(ids.Length);
                batch[i] = new TokenizedExample(id, ids, mask, reader.ReadSingle());
            }
            yield return batch;
        }
    }

    /// <summary>Closes and deletes the spool file; later calls do nothing.</summary>
    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        _writer.Dispose();
        _stream.Dispose();
        if (File.Exists(Path)) File.Delete(Path);
    }
}
