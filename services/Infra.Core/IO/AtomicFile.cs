using Infra.Core.Store;

namespace Infra.Core.IO;

/// <summary>
/// The one way the project writes a file that must never be seen torn: write a temp file beside it, flush it to disk,
/// rename it over the target, then flush the folder so the rename itself survives a crash. Readers see the old content
/// or the complete new content. On any failure the temp file is removed, so a failed write leaves nothing behind.
/// Used for the store (manifest, shards, metadata, query sets), checkpoints, EK-FAC factors, trainer state, and the
/// experiment's and validation's result files.
/// </summary>
public static class AtomicFile
{
    /// <summary>Writes <paramref name="path"/> atomically and durably.</summary>
    /// <param name="path">The final path. Its folder must exist unless <paramref name="createFolder"/>.</param>
    /// <param name="write">Writes the content.</param>
    /// <param name="hook">Told of the write, fsync and rename steps before each (a test seam); null (the default) for none.</param>
    /// <param name="step">What this file is, for <paramref name="hook"/>; defaults to <see cref="StoreWriteStep.Manifest"/>.</param>
    /// <param name="createFolder">Create the folder first; defaults to false (the store's folders must already be there).</param>
    public static void Write(string path, Action<FileStream> write, StoreWriteHook? hook = null, StoreWriteStep step = StoreWriteStep.Manifest,
        bool createFolder = false)
    {
        ArgumentNullException.ThrowIfNull(write);
        var full = Path.GetFullPath(path);
        var folder = Path.GetDirectoryName(full)!;
        if (createFolder) Directory.CreateDirectory(folder);
        var temp = $"{full}.tmp-{Guid.NewGuid():N}";
        try
        {
            using (var stream = new FileStream(temp, FileMode.CreateNew, FileAccess.Write, FileShare.None, bufferSize: 1 << 20))
            {
                hook?.Invoke(step, full);
                write(stream);
                hook?.Invoke(StoreWriteStep.Fsync, full);
                // fsync before the rename, or a crash could leave the new name pointing at unwritten blocks.
                stream.Flush(flushToDisk: true);
            }
            hook?.Invoke(StoreWriteStep.Rename, full);
            File.Move(temp, full, overwrite: true);
        }
        catch
        {
            File.Delete(temp);
            throw;
        }
        // The rename lives in the folder's own blocks: without this a crash can bring back the old name.
        SyncFolder(folder);
    }

    /// <summary>Writes <paramref name="text"/> as UTF-8 (no byte-order mark) to <paramref name="path"/>; see <see cref="Write"/>.</summary>
    public static void WriteText(string path, string text, StoreWriteHook? hook = null, StoreWriteStep step = StoreWriteStep.Manifest,
        bool createFolder = false)
    {
        ArgumentNullException.ThrowIfNull(text);
        Write(path, stream => stream.Write(System.Text.Encoding.UTF8.GetBytes(text)), hook, step, createFolder);
    }

    /// <summary>
    /// Flushes a folder's entries (creations, renames, deletions) to disk. A file system that refuses to open folders
    /// (some network and FUSE ones) is skipped: the rename is still atomic there, only not yet durable.
    /// </summary>
    public static void SyncFolder(string folder)
    {
        if (OperatingSystem.IsWindows()) return;
        try
        {
            using var handle = File.OpenHandle(folder, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, FileOptions.None);
            RandomAccess.FlushToDisk(handle);
        }
        catch (UnauthorizedAccessException)
        {
        }
        catch (IOException)
        {
        }
    }
}
