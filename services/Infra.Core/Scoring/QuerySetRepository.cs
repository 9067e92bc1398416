using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using Infra.Core.Checkpoints;
using Infra.Core.Store;
using Infra.Core.Errors;

namespace Infra.Core.Scoring;

/// <summary>
/// Registered query sets inside a store: <c>queries/&lt;name&gt;.safetensors</c> (fp32 tensors
/// <c>&lt;query index&gt;.&lt;layer&gt;</c>) and <c>queries/&lt;name&gt;.json</c>:
/// <c>{ "format_version": 2, "queries": [{ "id", "domain", "measurement", "preconditioned" }], "recipe": {...} | null }</c>
/// (snake_case; the recipe says how to recompute the set's scores exactly). Format 1, a bare list of
/// <c>{ "Id", "Domain", "Measurement", "Preconditioned" }</c> without a recipe, is still read.
/// Re-registering a name replaces it, recipe included.
/// </summary>
public static class QuerySetRepository
{
    private const string Folder = "queries";

    /// <summary>Format version of the <c>.json</c> file this code writes (it reads 1 and 2).</summary>
    public const int CurrentVersion = 2;

    private static readonly JsonSerializerOptions Json = new()
    {
        WriteIndented = true,
        PropertyNameCaseInsensitive = true, // format 1 wrote PascalCase keys
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.SnakeCaseLower) },
    };

    /// <exception cref="ArgumentException">Bad name, no queries, gradients that do not fit the store's layers, or a recipe whose ids differ from the set's (named).</exception>
    public static void Save(GradientStore store, QuerySet set)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(set);
        ValidateName(set.Name);
        if (set.Queries.Count == 0) throw DomainException.InvalidArgument($"query set '{set.Name}' has no queries");
        Validate(store.Schema, set);
        set.Recipe?.Validate(set.Name, set.Queries.Select(q => q.Id).ToList());
        var folder = store.Folder(Folder);
        var tensors = new List<SafetensorsTensor>();
        for (var q = 0; q < set.Queries.Count; q++)
            for (var l = 0; l < store.Schema.Layers.Count; l++)
            {
                var layer = store.Schema.Layers[l];
                tensors.Add(SafetensorsTensor.FromFloat32(string.Create(CultureInfo.InvariantCulture, $"{q}.{l}"), [layer.KOut, layer.KIn], set.Queries[q].Gradients[l]));
            }
        SafetensorsWriter.Write(Path.Combine(folder, set.Name + ".safetensors"), tensors);
        // The .json is written last: it is what makes the set (and its recipe, in the same file) visible.
        var file = new QuerySetFile(CurrentVersion, set.Queries.Select(q => new QuerySummary(q.Id, q.Domain, q.Measurement, q.Preconditioned)).ToList(), set.Recipe);
        AtomicFile.WriteText(Path.Combine(folder, set.Name + ".json"), JsonSerializer.Serialize(file, Json));
    }

    /// <exception cref="KeyNotFoundException">No such set.</exception>
    /// <exception cref="ArgumentException">A bad name.</exception>
    /// <exception cref="StoreException">An unreadable <c>.json</c> (corrupt) or one of a format this build does not read.</exception>
    public static QuerySet Load(GradientStore store, string name)
    {
        var summary = Describe(store, name);
        using var file = SafetensorsFile.Open(Path.Combine(store.Path, Folder, name + ".safetensors"));
        var queries = summary.Queries.Select((q, i) => new Query(q.Id, q.Domain, q.Measurement, q.Preconditioned,
            store.Schema.Layers.Select((_, l) => file.ReadAsFloat32(string.Create(CultureInfo.InvariantCulture, $"{i}.{l}"))).ToList())).ToList();
        return new QuerySet(name, queries, summary.Recipe);
    }

    /// <summary>A registered set's queries (without gradients) and recipe.</summary>
    /// <exception cref="KeyNotFoundException">No such set.</exception>
    /// <exception cref="ArgumentException">A bad name.</exception>
    /// <exception cref="StoreException">An unreadable <c>.json</c> (corrupt) or one of a format this build does not read.</exception>
    public static QuerySetSummary Describe(GradientStore store, string name)
    {
        ArgumentNullException.ThrowIfNull(store);
        ValidateName(name);
        var path = Path.Combine(store.Path, Folder, name + ".json");
        if (!File.Exists(path)) throw DomainException.NotFound($"no query set '{name}' is registered with store {store.Path}");
        try
        {
            using var document = JsonDocument.Parse(File.ReadAllText(path));
            if (document.RootElement.ValueKind == JsonValueKind.Array)
                return new QuerySetSummary(name, document.RootElement.Deserialize<List<QuerySummary>>(Json) ?? [], null);
            var file = document.RootElement.Deserialize<QuerySetFile>(Json) ?? throw new JsonException("empty");
            if (file.Queries is null) throw new JsonException("no \"queries\"");
            if (file.FormatVersion != CurrentVersion)
                throw new StoreException($"{path}: format version {file.FormatVersion}, this build reads 1 and {CurrentVersion}");
            return new QuerySetSummary(name, file.Queries, file.Recipe);
        }
        catch (JsonException ex)
        {
            throw new StoreException(StoreErrorKind.Corrupt, $"{path} is not a valid query set file: {ex.Message}", ex);
        }
    }

    /// <summary>Names of the registered sets.</summary>
    public static IReadOnlyList<string> Names(GradientStore store)
    {
        ArgumentNullException.ThrowIfNull(store);
        var folder = Path.Combine(store.Path, Folder);
        return Directory.Exists(folder)
            ? Directory.EnumerateFiles(folder, "*.json").Select(f => Path.GetFileNameWithoutExtension(f)).Order(StringComparer.Ordinal).ToList()
            : [];
    }

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
        [property: JsonPropertyName("queries")] IReadOnlyList<QuerySummary> Queries,
        [property: JsonPropertyName("recipe")] QueryRecipe? Recipe);
}
