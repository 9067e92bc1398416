using Infra.Core.Store;

namespace Infra.Core.Tests.Store;

/// <summary>
/// A store write hook that counts write steps and, when armed, fails the <see cref="FailAt"/>-th one the
/// way the file system would: disk full (ENOSPC, errno 28) or an I/O error (EIO) on write, fsync or rename.
/// </summary>
internal sealed class WriteFaults
{
    public bool Armed { get; set; }

    /// <summary>Index of the step to fail, counted from when the plan was armed.</summary>
    public int FailAt { get; set; } = -1;

    public bool DiskFull { get; set; }

    /// <summary>Steps seen while armed.</summary>
    public List<(StoreWriteStep Step, string Path)> Steps { get; } = [];

    public void Hook(StoreWriteStep step, string path)
    {
        if (!Armed) return;
        Steps.Add((step, path));
        if (Steps.Count - 1 != FailAt) return;
        throw DiskFull
            ? new IOException($"No space left on device : '{path}'", 28)
            : new IOException($"Input/output error : '{path}'", 5);
    }
}
