using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using Infra.Core.Checkpoints;
using Infra.Core.Store;
using Infra.Core.Errors;
using Infra.Core.IO;

namespace Infra.Core.Scoring;

/// <summary>
/// Registered query sets inside a store: <c>queries/&lt;name&gt;.&lt;registration id&gt;.safetensors</c> (fp32 tensors
/// <c>&lt;query index&gt;.&lt;layer&gt;</c>) and <c>queries/&lt;name&gt;.json</c>:
/// <c>{ "format_version": 3, "tensors": "&lt;file&gt;", "queries": [{ "id", "domain", "measurement", "preconditioned" }], "recipe": {...} | null }</c>
/// (snake_case; the recipe says how to recompute the set's scores exactly). The <c>.json</c> is what makes
/// a set visible and names its tensor file, so replacing it is one atomic rename. Format 2 (no
/// <c>tensors</c>: the file is <c>&lt;name&gt;.safetensors</c>) and format 1, a bare list of
/// <c>{ "Id", "Domain", "Measurement", "Preconditioned" }</c> without a recipe, are still read.
/// Re-registering a name replaces it, recipe included.
/// </summary>
public static class QuerySetRepository
{
    private const string Folder = "queries";

    /// <summary>Format version of the <c>.json</c> file this code writes (it reads 1 to 3).</summary>
    public const int CurrentVersion = 3;

    // The project's JSON spelling (its enums are one word, so the lower-case words read what snake_case wrote), reading
    // format 1's PascalCase keys too.
    private static readonly JsonSerializerOptions Json = new(ProjectJson.Options) { PropertyNameCaseInsensitive = true };

    /// <summary>
    /// Registers (or replaces) <paramref name="set"/>: its tensors are written under a fresh name outside any
    /// lock, then its <c>.json</c> is replaced under the store's commit lock; the replaced set's tensors are
    /// removed after the commit. On failure the new tensors are removed and the registered sets (on disk and
    /// in memory) are as they were.
    /// </summary>
    /// <exception cref="ArgumentException">Bad name, no queries, gradients that do not fit the store's layers, or a recipe whose ids differ from the set's (named).</exception>
    /// <exception cref="StoreException">Disk full (<see cref="StoreErrorKind.ResourceExhausted"/>).</exception>
    /// <exception cref="IOException">Another write failure.</exception>
    public static void Save(GradientStore store, QuerySet set)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(set);
        ValidateName(set.Name);
        if (set.Queries.Count == 0) throw DomainException.InvalidArgument($"query set '{set.Name}' has no queries");
        var schema = store.Schema;
        Validate(schema, set);
        set.Recipe?.Validate(set.Name, set.Queries.Select(q => q.Id).ToList());
        var folder = store.Folder(Folder);
        var tensorFile = $"{set.Name}.{Guid.NewGuid():N}.safetensors";
        var tensors = new List<SafetensorsTensor>();
        for (var q = 0; q < set.Queries.Count; q++)
            for (var l = 0; l < schema.Layers.Count; l++)
            {
                var layer = schema.Layers[l];
                tensors.Add(SafetensorsTensor.FromFloat32(string.Create(CultureInfo.InvariantCulture, $"{q}.{l}"), [layer.KOut, layer.KIn], set.Queries[q].Gradients[l]));
            }
        string? replaced = null;
        try
        {
            SafetensorsWriter.Write(Path.Combine(folder, tensorFile), tensors, hook: store.Options.BeforeWrite, step: StoreWriteStep.QuerySetTensors);
            var file = new QuerySetFile(CurrentVersion, tensorFile, set.Queries.Select(q => new QuerySummary(q.Id, q.Domain, q.Measurement, q.Preconditioned)).ToList(), set.Recipe);
            store.Commit(current =>
            {
                replaced = current.QuerySets.Contains(set.Name) ? TensorFileOf(store.Path, set.Name) : null;
                // The .json is written last: it is what makes the set (its tensors and recipe) visible.
                AtomicFile.WriteText(JsonPath(store.Path, set.Name), JsonSerializer.Serialize(file, Json), store.Options.BeforeWrite, StoreWriteStep.QuerySetDescription);
                return current.WithQuerySet(set.Name, registered: true);
            });
        }
        catch (Exception ex)
        {
            GradientStore.TryDelete(Path.Combine(folder, tensorFile));
            if (StoreIo.Translate(ex, store.Path, $"query set '{set.Name}'") is { } translated) throw translated;
            throw;
        }
        if (replaced is not null && replaced != tensorFile) GradientStore.TryDelete(Path.Combine(folder, replaced));
    }

    /// <summary>Removes a registered set: its <c>.json</c> goes under the commit lock (one unlink: the set is gone), then its tensors.</summary>
    /// <exception cref="DomainException">No such set (NotFound).</exception>
    /// <exception cref="ArgumentException">A bad name.</exception>
    public static void Delete(GradientStore store, string name)
    {
        ArgumentNullException.ThrowIfNull(store);
        ValidateName(name);
        string? tensors = null;
        store.Commit(current =>
        {
            if (!current.QuerySets.Contains(name)) throw DomainException.NotFound($"no query set '{name}' is registered with store {store.Path}");
            tensors = TensorFileOf(store.Path, name);
            File.Delete(JsonPath(store.Path, name));
            return current.WithQuerySet(name, registered: false);
        });
        if (tensors is not null) GradientStore.TryDelete(Path.Combine(store.Path, Folder, tensors));
    }

    /// <exception cref="DomainException">No such set (NotFound).</exception>
    /// <exception cref="ArgumentException">A bad name.</exception>
    /// <exception cref="StoreException">An unreadable <c>.json</c> (corrupt) or one of a format this build does not read.</exception>
    public static QuerySet Load(IStoreView store, string name) =>
        // A re-registration replaces the .json, then removes the tensors the old one named: read again once if they went in between.
        TryLoad(store, name) ?? TryLoad(store, name)
        ?? throw new StoreException(StoreErrorKind.Corrupt, $"query set '{name}' in store {store.Path}: the tensor file its .json names is missing");

    /// <summary>A registered set's queries (without gradients) and recipe.</summary>
    /// <exception cref="DomainException">No such set (NotFound).</exception>
    /// <exception cref="ArgumentException">A bad name.</exception>
    /// <exception cref="StoreException">An unreadable <c>.json</c> (corrupt) or one of a format this build does not read.</exception>
    public static QuerySetSummary Describe(IStoreView store, string name) => Read(store, name).Summary;

    /// <summary>Names of the registered sets, in ordinal order.</summary>
    public static IReadOnlyList<string> Names(IStoreView store)
    {
        ArgumentNullException.ThrowIfNull(store);
        return [.. store.QuerySets];
    }

    private static QuerySet? TryLoad(IStoreView store, string name)
    {
        var (summary, tensorFile) = Read(store, name);
        var path = Path.Combine(store.Path, Folder, tensorFile);
        if (!File.Exists(path)) return null;
        using var file = SafetensorsFile.Open(path);
        var queries = summary.Queries.Select((q, i) => new Query(q.Id, q.Domain, q.Measurement, q.Preconditioned,
            store.Schema.Layers.Select((_, l) => file.ReadAsFloat32(string.Create(CultureInfo.InvariantCulture, $"{i}.{l}"))).ToList())).ToList();
        return new QuerySet(name, queries, summary.Recipe);
    }

    private static (QuerySetSummary Summary, string TensorFile) Read(IStoreView store, string name)
    {
        ArgumentNullException.ThrowIfNull(store);
        ValidateName(name);
        var path = JsonPath(store.Path, name);
        // The view's list of sets decides (a set deleted or registered after a snapshot was taken is not in it) ...
        if (!store.QuerySets.Contains(name) || !File.Exists(path)) throw DomainException.NotFound($"no query set '{name}' is registered with store {store.Path}");
        try
        {
            using var document = JsonDocument.Parse(File.ReadAllText(path));
            if (document.RootElement.ValueKind == JsonValueKind.Array)
                return (new QuerySetSummary(name, document.RootElement.Deserialize<List<QuerySummary>>(Json) ?? [], null), name + ".safetensors");
            var file = document.RootElement.Deserialize<QuerySetFile>(Json) ?? throw new JsonException("empty");
            if (file.Queries is null) throw new JsonException("no \"queries\"");
            if (file.FormatVersion is not (2 or CurrentVersion))
                throw new StoreException($"{path}: format version {file.FormatVersion}, this build reads 1 to {CurrentVersion}");
            return (new QuerySetSummary(name, file.Queries, file.Recipe), file.Tensors is { } t ? Path.GetFileName(t) : name + ".safetensors");
        }
        catch (JsonException ex)
        {
            throw new StoreException(StoreErrorKind.Corrupt, $"{path} is not a valid query set file: {ex.Message}", ex);
        }
    }

    // The tensor file a registered set's .json names (format 1 and 2: <name>.safetensors); null when unreadable.
    private static string? TensorFileOf(string storePath, string name)
    {
        try
        {
            using var document = JsonDocument.Parse(File.ReadAllText(JsonPath(storePath, name)));
            return document.RootElement.ValueKind == JsonValueKind.Object && document.RootElement.TryGetProperty("tensors", out var t) && t.GetString() is { } file
                ? file
                : name + ".safetensors";
        }
        catch (Exception ex) when (ex is JsonException or IOException)
        {
            return null;
        }
    }

    private static string JsonPath(string storePath, string name) => Path.Combine(storePath, Folder, name + ".json");

    /// <summary>Throws when a query's layers or dims differ from the store's, naming the query, the layer and both dims.</summary>
    public static void Validate(StoreSchema schema, QuerySet set)
    {
        ArgumentNullException.ThrowIfNull(schema);
        ArgumentNullException.ThrowIfNull(set);
        foreach (var q in set.Queries)
        {
            if (q.Gradients.Count != schema.Layers.Count)
                throw DomainException.InvalidArgument($"query '{q.Id}': {q.Gradients.Count} layers, the store tracks {schema.Layers.Count}");
            for (var l = 0; l < schema.Layers.Count; l++)
            {
                var layer = schema.Layers[l];
                if (q.Gradients[l].Length != layer.GradientLength)
                    throw DomainException.InvalidArgument($"query '{q.Id}', layer {layer.Name}: {q.Gradients[l].Length} values, the store's layer is {layer.KOut} x {layer.KIn}");
                var bad = Array.FindIndex(q.Gradients[l], v => !float.IsFinite(v));
                if (bad >= 0) throw DomainException.InvalidArgument($"query '{q.Id}', layer {layer.Name}: non-finite value at {bad}");
            }
        }
    }

    /// <exception cref="ArgumentException">The name breaks <see cref="Naming.ResourceName"/>'s rule.</exception>
    public static void ValidateName(string name, string? field = null) => Naming.ResourceName.Validate("query set", name, field);

    private sealed record QuerySetFile(
        [property: JsonPropertyName("format_version")] int FormatVersion,
        [property: JsonPropertyName("tensors")] string? Tensors,
        [property: JsonPropertyName("queries")] IReadOnlyList<QuerySummary> Queries,
        [property: JsonPropertyName("recipe")] QueryRecipe? Recipe);
}
