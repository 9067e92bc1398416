namespace Infra.Core.Store;

/// <summary>Turns I/O failures of a store's writes into errors that name the store, not a temp file.</summary>
internal static class StoreIo
{
    // ENOSPC on Linux (errno 28; .NET puts the errno in HResult), ERROR_DISK_FULL / ERROR_HANDLE_DISK_FULL on Windows.
    private const int Enospc = 28;
    private const int WindowsDiskFull = unchecked((int)0x80070070);
    private const int WindowsHandleDiskFull = unchecked((int)0x80070027);

    /// <summary>Whether <paramref name="exception"/> says the disk is full.</summary>
    public static bool IsDiskFull(Exception exception) => exception is IOException io
        && (io.HResult is Enospc or WindowsDiskFull or WindowsHandleDiskFull
            || io.Message.Contains("No space left on device", StringComparison.OrdinalIgnoreCase));

    /// <summary>
    /// A disk-full failure as <see cref="StoreErrorKind.ResourceExhausted"/> naming the store and what was being written;
    /// anything else unchanged (null: rethrow the original).
    /// </summary>
    public static StoreException? Translate(Exception exception, string storePath, string writing) => IsDiskFull(exception)
        ? new StoreException(StoreErrorKind.ResourceExhausted,
            $"store {storePath} is out of disk space while writing {writing}: nothing of it was committed; free space and send it again", exception)
        : null;
}
