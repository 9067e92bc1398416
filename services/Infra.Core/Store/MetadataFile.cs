using Apache.Arrow;
using Apache.Arrow.Ipc;
using Apache.Arrow.Types;
using Infra.Core.Checkpoints;
using Infra.Core.IO;
using Infra.Core.Metadata;

namespace Infra.Core.Store;

/// <summary>
/// A shard's metadata as an Arrow IPC file (<c>pyarrow.ipc.open_file(path).read_all()</c> reads it):
/// one row per example with columns id, domain, difficulty, num_tokens, token_offset, loss,
/// content_hash, token_ids (list&lt;int32&gt;), loss_mask (list&lt;uint8&gt;), token_losses (list&lt;float&gt;),
/// text, char_starts, char_lengths (list&lt;int32&gt;), and metadata (utf8: the example's other corpus columns as
/// <see cref="MetadataRowCodec"/> writes them, "" for none). Files written before the metadata column existed read as
/// examples without metadata.
/// </summary>
public static class MetadataFile
{
    private const string MetadataColumn = "metadata";

    /// <summary>Writes the columns of <paramref name="examples"/> (row order = shard order) atomically.</summary>
    /// <param name="path">The final path.</param>
    /// <param name="examples">The shard's examples.</param>
    /// <param name="contentHashes">Their content hashes, same order.</param>
    /// <param name="firstTokenOffset">Token offset of the first example. Defaults to 0.</param>
    /// <param name="hook">Told of each write step before it happens (fault-injection seam). Defaults to null (none).</param>
    public static void Write(string path, IReadOnlyList<StoreExample> examples, IReadOnlyList<string> contentHashes, long firstTokenOffset = 0,
        StoreWriteHook? hook = null)
    {
        ArgumentNullException.ThrowIfNull(examples);
        ArgumentNullException.ThrowIfNull(contentHashes);
        var ids = new StringArray.Builder();
        var domains = new StringArray.Builder();
        var difficulties = new Int32Array.Builder();
        var numTokens = new Int32Array.Builder();
        var offsets = new Int64Array.Builder();
        var losses = new FloatArray.Builder();
        var hashes = new StringArray.Builder();
        var texts = new StringArray.Builder();
        var tokenIds = new ListArray.Builder(Int32Type.Default);
        var lossMask = new ListArray.Builder(UInt8Type.Default);
        var tokenLosses = new ListArray.Builder(FloatType.Default);
        var charStarts = new ListArray.Builder(Int32Type.Default);
        var charLengths = new ListArray.Builder(Int32Type.Default);
        var metadata = new StringArray.Builder();
        var offset = firstTokenOffset;
        for (var i = 0; i < examples.Count; i++)
        {
            var e = examples[i];
            ids.Append(e.Id);
            domains.Append(e.Domain);
            difficulties.Append(e.Difficulty);
            numTokens.Append(e.TokenIds.Length);
            offsets.Append(offset);
            offset += e.TokenIds.Length;
            losses.Append(e.Loss);
            hashes.Append(contentHashes[i]);
            texts.Append(e.Text);
            metadata.Append(MetadataRowCodec.Encode(e.Metadata));
            AppendList(tokenIds, (Int32Array.Builder)tokenIds.ValueBuilder, e.TokenIds, (b, v) => b.Append(v));
            AppendList(lossMask, (UInt8Array.Builder)lossMask.ValueBuilder, e.LossMask, (b, v) => b.Append(v));
            AppendList(tokenLosses, (FloatArray.Builder)tokenLosses.ValueBuilder, e.TokenLosses, (b, v) => b.Append(v));
            AppendList(charStarts, (Int32Array.Builder)charStarts.ValueBuilder, e.CharStarts, (b, v) => b.Append(v));
            AppendList(charLengths, (Int32Array.Builder)charLengths.ValueBuilder, e.CharLengths, (b, v) => b.Append(v));
        }
        IArrowArray[] columns =
        [
            ids.Build(), domains.Build(), difficulties.Build(), numTokens.Build(), offsets.Build(), losses.Build(), hashes.Build(),
            tokenIds.Build(), lossMask.Build(), tokenLosses.Build(), texts.Build(), charStarts.Build(), charLengths.Build(),
            metadata.Build(),
        ];
        var schema = new Schema.Builder()
            .Field(f => f.Name("id").DataType(StringType.Default).Nullable(false))
            .Field(f => f.Name("domain").DataType(StringType.Default).Nullable(false))
            .Field(f => f.Name("difficulty").DataType(Int32Type.Default).Nullable(false))
            .Field(f => f.Name("num_tokens").DataType(Int32Type.Default).Nullable(false))
            .Field(f => f.Name("token_offset").DataType(Int64Type.Default).Nullable(false))
            .Field(f => f.Name("loss").DataType(FloatType.Default).Nullable(false))
            .Field(f => f.Name("content_hash").DataType(StringType.Default).Nullable(false))
            .Field(f => f.Name("token_ids").DataType(new ListType(Int32Type.Default)).Nullable(false))
            .Field(f => f.Name("loss_mask").DataType(new ListType(UInt8Type.Default)).Nullable(false))
            .Field(f => f.Name("token_losses").DataType(new ListType(FloatType.Default)).Nullable(false))
            .Field(f => f.Name("text").DataType(StringType.Default).Nullable(false))
            .Field(f => f.Name("char_starts").DataType(new ListType(Int32Type.Default)).Nullable(false))
            .Field(f => f.Name("char_lengths").DataType(new ListType(Int32Type.Default)).Nullable(false))
            .Field(f => f.Name(MetadataColumn).DataType(StringType.Default).Nullable(false))
            .Build();
        using var batch = new RecordBatch(schema, columns, examples.Count);
        AtomicFile.Write(path, stream =>
        {
            using var writer = new ArrowFileWriter(stream, schema, leaveOpen: true);
            writer.WriteRecordBatch(batch);
            writer.WriteEnd();
        }, hook, StoreWriteStep.ShardMetadata);
    }

    /// <summary>Reads the per-example columns used for scoring and filtering.</summary>
    /// <exception cref="StoreException">The file is not a readable Arrow file with the expected columns.</exception>
    public static ShardMetadata Read(string path)
    {
        try
        {
            using var stream = File.OpenRead(path);
            using var reader = new ArrowFileReader(stream);
            var ids = new List<string>();
            var domains = new List<string>();
            var difficulties = new List<int>();
            var offsets = new List<long>();
            var losses = new List<float>();
            var hashes = new List<string>();
            var lossTokens = new List<int>();
            var rows = new List<IReadOnlyDictionary<string, MetadataValue>>();
            long end = 0;
            while (reader.ReadNextRecordBatch() is { } batch)
            {
                using (batch)
                {
                    var id = (StringArray)batch.Column("id");
                    var domain = (StringArray)batch.Column("domain");
                    var difficulty = (Int32Array)batch.Column("difficulty");
                    var tokens = (Int32Array)batch.Column("num_tokens");
                    var offset = (Int64Array)batch.Column("token_offset");
                    var loss = (FloatArray)batch.Column("loss");
                    var hash = (StringArray)batch.Column("content_hash");
                    var mask = (ListArray)batch.Column("loss_mask");
                    // Shards written before metadata was kept have no such column: their examples have none.
                    var meta = ColumnIndex(batch.Schema, MetadataColumn) is var m and >= 0 ? (StringArray)batch.Column(m) : null;
                    for (var i = 0; i < batch.Length; i++)
                    {
                        ids.Add(id.GetString(i));
                        domains.Add(domain.GetString(i));
                        difficulties.Add(difficulty.GetValue(i)!.Value);
                        offsets.Add(offset.GetValue(i)!.Value);
                        end = offset.GetValue(i)!.Value + tokens.GetValue(i)!.Value;
                        losses.Add(loss.GetValue(i)!.Value);
                        hashes.Add(hash.GetString(i));
                        lossTokens.Add(CountSet(((UInt8Array)mask.GetSlicedValues(i)).Values));
                        rows.Add(meta is null ? MetadataColumns.None : MetadataRowCodec.Decode(meta.GetString(i)));
                    }
                }
            }
            offsets.Add(end);
            return new ShardMetadata([.. ids], [.. domains], [.. difficulties], [.. offsets], [.. losses], [.. hashes], [.. lossTokens], ByColumn(rows));
        }
        catch (Exception ex) when (ex is InvalidDataException or InvalidCastException or ArgumentException or IOException or NullReferenceException)
        {
            throw new StoreException(StoreErrorKind.Corrupt, $"{path}: not a readable shard metadata file ({ex.Message})", ex);
        }
    }

    /// <summary>Token-level details of the example at <paramref name="row"/>.</summary>
    public static TokenDetails ReadTokens(string path, int row) => ReadTokens(path, [row])[row];

    /// <summary>
    /// Token-level details of the examples at <paramref name="rows"/>, reading the file once (a single
    /// example costs the same open and batch decode as many).
    /// </summary>
    /// <exception cref="StoreException">A row the file does not have.</exception>
    public static IReadOnlyDictionary<int, TokenDetails> ReadTokens(string path, IReadOnlyCollection<int> rows)
    {
        ArgumentNullException.ThrowIfNull(rows);
        var wanted = rows.ToHashSet();
        var found = new Dictionary<int, TokenDetails>(wanted.Count);
        using var stream = File.OpenRead(path);
        using var reader = new ArrowFileReader(stream);
        var start = 0;
        while (found.Count < wanted.Count && reader.ReadNextRecordBatch() is { } batch)
        {
            using (batch)
            {
                foreach (var row in wanted)
                {
                    if (row < start || row >= start + batch.Length) continue;
                    var i = row - start;
                    found[row] = new TokenDetails(
                        Ints(batch, "token_ids", i),
                        ((UInt8Array)((ListArray)batch.Column("loss_mask")).GetSlicedValues(i)).Values.ToArray(),
                        ((FloatArray)((ListArray)batch.Column("token_losses")).GetSlicedValues(i)).Values.ToArray(),
                        ((StringArray)batch.Column("text")).GetString(i),
                        Ints(batch, "char_starts", i),
                        Ints(batch, "char_lengths", i));
                }
                start += batch.Length;
            }
        }
        var missing = wanted.Where(r => !found.ContainsKey(r)).Order().Select(r => (int?)r).FirstOrDefault();
        return missing is null ? found : throw new StoreException($"{path}: no row {missing}");
    }

    private static int ColumnIndex(Schema schema, string name)
    {
        for (var i = 0; i < schema.FieldsList.Count; i++) if (schema.FieldsList[i].Name == name) return i;
        return -1;
    }

    private static int CountSet(ReadOnlySpan<byte> mask)
    {
        var count = 0;
        foreach (var m in mask) if (m != 0) count++;
        return count;
    }

    // Column-wise: a shard keeps one array per column instead of one dictionary per example, and a shard without
    // metadata keeps nothing.
    private static Dictionary<string, MetadataValue?[]> ByColumn(List<IReadOnlyDictionary<string, MetadataValue>> rows)
    {
        var columns = new Dictionary<string, MetadataValue?[]>(StringComparer.Ordinal);
        for (var row = 0; row < rows.Count; row++)
        {
            foreach (var (name, value) in rows[row])
            {
                if (!columns.TryGetValue(name, out var column)) columns[name] = column = new MetadataValue?[rows.Count];
                column[row] = value;
            }
        }
        return columns;
    }

    private static int[] Ints(RecordBatch batch, string column, int row) =>
        ((Int32Array)((ListArray)batch.Column(column)).GetSlicedValues(row)).Values.ToArray();

    private static void AppendList<TBuilder, T>(ListArray.Builder list, TBuilder values, IEnumerable<T> items, Action<TBuilder, T> append)
    {
        list.Append();
        foreach (var item in items) append(values, item);
    }
}
