using System.Globalization;
using System.Text.Json;
using Infra.Core.Checkpoints;
using Infra.Core.Store;

namespace Infra.Core.Scoring;

/// <summary>
/// Registered query sets inside a store: <c>queries/&lt;name&gt;.safetensors</c> (fp32 tensors
/// <c>&lt;query index&gt;.&lt;layer&gt;</c>) and <c>queries/&lt;name&gt;.json</c> (ids, domains, measurements,
/// whether preconditioned). Re-registering a name replaces it.
/// </summary>
public static class QuerySetRepository
{
    private const string Folder = "queries";

    /// <exception cref="ArgumentException">Bad name, no queries, or gradients that do not fit the store's layers (named).</exception>
    public static void Save(GradientStore store, QuerySet set)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(set);
        ValidateName(set.Name);
        if (set.Queries.Count == 0) throw new ArgumentException($"query set '{set.Name}' has no queries");
        Validate(store.Schema, set);
        var folder = store.Folder(Folder);
        var tensors = new List<SafetensorsTensor>();
        for (var q = 0; q < set.Queries.Count; q++)
            for (var l = 0; l < store.Schema.Layers.Count; l++)
            {
                var layer = store.Schema.Layers[l];
                tensors.Add(SafetensorsTensor.FromFloat32(string.Create(CultureInfo.InvariantCulture, $"{q}.{l}"), [layer.KOut, layer.KIn], set.Queries[q].Gradients[l]));
            }
        SafetensorsWriter.Write(Path.Combine(folder, set.Name + ".safetensors"), tensors);
        var info = set.Queries.Select(q => new QueryInfo(q.Id, q.Domain, q.Measurement, q.Preconditioned)).ToList();
        AtomicFile.WriteText(Path.Combine(folder, set.Name + ".json"), JsonSerializer.Serialize(info));
    }

    /// <exception cref="KeyNotFoundException">No such set.</exception>
    public static QuerySet Load(GradientStore store, string name)
    {
        ArgumentNullException.ThrowIfNull(store);
        ValidateName(name);
        var json = Path.Combine(store.Path, Folder, name + ".json");
        if (!File.Exists(json)) throw new KeyNotFoundException($"no query set '{name}' is registered with store {store.Path}");
        var info = JsonSerializer.Deserialize<List<QueryInfo>>(File.ReadAllText(json)) ?? [];
        using var file = SafetensorsFile.Open(Path.Combine(store.Path, Folder, name + ".safetensors"));
        var queries = info.Select((q, i) => new Query(q.Id, q.Domain, q.Measurement, q.Preconditioned,
            store.Schema.Layers.Select((_, l) => file.ReadAsFloat32(string.Create(CultureInfo.InvariantCulture, $"{i}.{l}"))).ToList())).ToList();
        return new QuerySet(name, queries);
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
                throw new ArgumentException($"query '{q.Id}': {q.Gradients.Count} layers, the store tracks {schema.Layers.Count}");
            for (var l = 0; l < schema.Layers.Count; l++)
            {
                var layer = schema.Layers[l];
                if (q.Gradients[l].Length != layer.GradientLength)
                    throw new ArgumentException($"query '{q.Id}', layer {layer.Name}: {q.Gradients[l].Length} values, the store's layer is {layer.KOut} x {layer.KIn}");
                var bad = Array.FindIndex(q.Gradients[l], v => !float.IsFinite(v));
                if (bad >= 0) throw new ArgumentException($"query '{q.Id}', layer {layer.Name}: non-finite value at {bad}");
            }
        }
    }

    private static void ValidateName(string name)
    {
        if (string.IsNullOrEmpty(name) || name is "." or ".." || !name.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-'))
            throw new ArgumentException($"query set name '{name}' is invalid: use letters, digits, '.', '_' and '-'");
    }

    private sealed record QueryInfo(string Id, string Domain, float Measurement, bool Preconditioned);
}
