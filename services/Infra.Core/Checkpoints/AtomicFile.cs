using Infra.Core.Store;

namespace Infra.Core.Checkpoints;

/// <summary>
/// Writes a file so that readers see either the old content or the complete new content: write a
/// temp file beside it, flush it to disk, then rename over the target. On any failure the temp file
/// is removed, so a failed write leaves nothing behind.
/// </summary>
internal static class AtomicFile
{
    /// <param name="path">The final path.</param>
    /// <param name="write">Writes the content.</param>
    /// <param name="hook">Told of the write, fsync and rename steps before each (a test seam); null for none.</param>
    /// <param name="step">What this file is, for <paramref name="hook"/>.</param>
    public static void Write(string path, Action<FileStream> write, StoreWriteHook? hook = null, StoreWriteStep step = StoreWriteStep.Manifest)
    {
        var full = System.IO.Path.GetFullPath(path);
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
    }

    public static void WriteText(string path, string text, StoreWriteHook? hook = null, StoreWriteStep step = StoreWriteStep.Manifest) =>
        Write(path, stream =>
        {
            var bytes = System.Text.Encoding.UTF8.GetBytes(text);
            stream.Write(bytes);
        }, hook, step);
}
