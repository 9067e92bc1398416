using System.Buffers.Binary;
using System.IO.MemoryMappedFiles;

namespace Infra.Core.Checkpoints;

/// <summary>
/// A safetensors file, memory-mapped read-only: an 8-byte little-endian header length N, N bytes
/// of JSON (<c>name -&gt; {dtype, shape, data_offsets}</c> plus an optional <c>__metadata__</c>
/// string map), then the tensor bytes. The header is validated when the file is opened.
/// Reads are safe from several threads; spans handed out are valid only until <see cref="Dispose"/>.
/// </summary>
public sealed unsafe class SafetensorsFile : IDisposable
{
    /// <summary>The reference implementation refuses headers above 100 MB; so do we.</summary>
    private const long MaxHeaderBytes = 100L * 1024 * 1024;

    /// <summary>Elements converted per step when a range is read, so a span never exceeds int bytes.</summary>
    private const int ConversionChunkElements = 1 << 20;

    private readonly MemoryMappedFile _map;
    private readonly MemoryMappedViewAccessor _view;
    private readonly byte* _data;
    private bool _disposed;

    private SafetensorsFile(string path, MemoryMappedFile map, MemoryMappedViewAccessor view, byte* data, SafetensorsHeader header)
    {
        Path = path;
        _map = map;
        _view = view;
        _data = data;
        Tensors = header.Tensors;
        Metadata = header.Metadata;
    }

    /// <summary>The path the file was opened from.</summary>
    public string Path { get; }

    /// <summary>Header entries by tensor name.</summary>
    public IReadOnlyDictionary<string, SafetensorsTensorInfo> Tensors { get; }

    /// <summary>The <c>__metadata__</c> map; empty when the header has none.</summary>
    public IReadOnlyDictionary<string, string> Metadata { get; }

    /// <summary>Maps and validates <paramref name="path"/>.</summary>
    /// <exception cref="CheckpointException">Missing, short or truncated file, or a malformed header; the message names the file.</exception>
    public static SafetensorsFile Open(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (!BitConverter.IsLittleEndian)
            throw new PlatformNotSupportedException("safetensors data is little-endian; big-endian hosts are not supported");
        if (!File.Exists(path))
            throw new CheckpointException($"{path}: safetensors file not found");

        var fileLength = new FileInfo(path).Length;
        if (fileLength < 8)
            throw new CheckpointException($"{path}: file is {fileLength} bytes, shorter than the 8-byte safetensors header length");

        var map = MemoryMappedFile.CreateFromFile(path, FileMode.Open, mapName: null, capacity: 0, MemoryMappedFileAccess.Read);
        MemoryMappedViewAccessor? view = null;
        var acquired = false;
        try
        {
            view = map.CreateViewAccessor(0, 0, MemoryMappedFileAccess.Read);
            byte* basePointer = null;
            view.SafeMemoryMappedViewHandle.AcquirePointer(ref basePointer);
            acquired = true;
            basePointer += view.PointerOffset;

            var headerLength = BinaryPrimitives.ReadUInt64LittleEndian(new ReadOnlySpan<byte>(basePointer, 8));
            if (headerLength > (ulong)(fileLength - 8))
                throw new CheckpointException($"{path}: header length {headerLength} is larger than the file ({fileLength} bytes)");
            if (headerLength > MaxHeaderBytes)
                throw new CheckpointException($"{path}: header length {headerLength} exceeds the {MaxHeaderBytes}-byte limit");

            var json = new ReadOnlySpan<byte>(basePointer + 8, (int)headerLength).ToArray();
            var dataStart = 8 + (long)headerLength;
            var header = SafetensorsHeader.Parse(json, fileLength - dataStart, path);
            return new SafetensorsFile(path, map, view, basePointer + dataStart, header);
        }
        catch
        {
            if (acquired) view!.SafeMemoryMappedViewHandle.ReleasePointer();
            view?.Dispose();
            map.Dispose();
            throw;
        }
    }

    /// <summary>The header entry of <paramref name="name"/>.</summary>
    /// <exception cref="CheckpointException">No such tensor.</exception>
    public SafetensorsTensorInfo Info(string name) =>
        Tensors.TryGetValue(name, out var info) ? info : throw new CheckpointException($"{Path}: no tensor '{name}'");

    /// <summary>The raw little-endian bytes of a tensor, valid until this file is disposed.</summary>
    /// <exception cref="CheckpointException">No such tensor, or it exceeds int.MaxValue bytes (use the ranged overloads).</exception>
    public ReadOnlySpan<byte> GetBytes(string name)
    {
        var info = Info(name);
        if (info.ByteLength > int.MaxValue)
        {
            throw new CheckpointException(
                $"{Path}: tensor '{name}' is {info.ByteLength} bytes, too large for one span; read it in ranges with GetBytes(name, offset, count) or ReadAsFloat32(name, elementOffset, destination)");
        }
        return GetBytes(name, 0, (int)info.ByteLength);
    }

    /// <summary>Bytes <paramref name="byteOffset"/> .. +<paramref name="byteCount"/> of a tensor's data.</summary>
    public ReadOnlySpan<byte> GetBytes(string name, long byteOffset, int byteCount)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        var info = Info(name);
        if (byteOffset < 0 || byteCount < 0 || byteOffset + byteCount > info.ByteLength)
        {
            throw new ArgumentOutOfRangeException(nameof(byteOffset),
                $"range [{byteOffset}, {byteOffset + byteCount}) is outside tensor '{name}' ({info.ByteLength} bytes)");
        }
        return new ReadOnlySpan<byte>(_data + info.Begin + byteOffset, byteCount);
    }

    /// <summary>The whole tensor as float32, converted from F32, F16 or BF16.</summary>
    /// <exception cref="CheckpointException">No such tensor, another dtype, or more elements than an array holds.</exception>
    public float[] ReadAsFloat32(string name)
    {
        var info = RequireFloat(name);
        if (info.ElementCount > Array.MaxLength)
            throw new CheckpointException($"{Path}: tensor '{name}' has {info.ElementCount} elements, more than one array holds; read it in ranges");
        var result = new float[info.ElementCount];
        ReadAsFloat32(name, 0, result);
        return result;
    }

    /// <summary>The whole tensor as float32 into <paramref name="destination"/>, whose length must equal the element count.</summary>
    public void ReadAsFloat32(string name, Span<float> destination)
    {
        var info = RequireFloat(name);
        if (destination.Length != info.ElementCount)
            throw new ArgumentException($"tensor '{name}' has {info.ElementCount} elements but the destination holds {destination.Length}", nameof(destination));
        ReadAsFloat32(name, 0, destination);
    }

    /// <summary>
    /// Elements <paramref name="elementOffset"/> .. +destination.Length (row-major) as float32: the
    /// way to read tensors larger than 2 GB piecewise.
    /// </summary>
    public void ReadAsFloat32(string name, long elementOffset, Span<float> destination)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        var info = RequireFloat(name);
        if (elementOffset < 0 || elementOffset + destination.Length > info.ElementCount)
        {
            throw new ArgumentOutOfRangeException(nameof(elementOffset),
                $"elements [{elementOffset}, {elementOffset + destination.Length}) are outside tensor '{name}' ({info.ElementCount} elements)");
        }
        var size = info.DType.ElementSize();
        for (var done = 0; done < destination.Length; done += ConversionChunkElements)
        {
            var count = Math.Min(ConversionChunkElements, destination.Length - done);
            var source = new ReadOnlySpan<byte>(_data + info.Begin + ((elementOffset + done) * size), count * size);
            FloatEncoding.Decode(info.DType, source, destination.Slice(done, count));
        }
    }

    private SafetensorsTensorInfo RequireFloat(string name)
    {
        var info = Info(name);
        if (!info.DType.IsFloat32Convertible())
            throw new CheckpointException($"{Path}: tensor '{name}' has dtype {info.DType.ToSafetensorsName()}, which does not convert to float32 (F32, F16 or BF16 do)");
        return info;
    }

    /// <summary>Unmaps the file; spans obtained earlier become invalid.</summary>
    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        _view.SafeMemoryMappedViewHandle.ReleasePointer();
        _view.Dispose();
        _map.Dispose();
    }
}
