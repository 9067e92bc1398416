namespace Infra.Core.Store;

/// <summary>A store that cannot be opened or written, or data it must refuse; the message names the file or example.</summary>
public sealed class StoreException : Exception
{
    public StoreException(string message) : base(message) { }

    public StoreException(string message, Exception inner) : base(message, inner) { }
}
