using Infra.Contracts.Gradients;
using Infra.Contracts.Scoring.V1;
using Infra.Core.Errors;
using Infra.Core.Store;
using CoreQuery = Infra.Core.Scoring.Query;

namespace Infra.Scoring.Mapping;

/// <summary>A registered query set's header and assembled gradient chunks as domain <see cref="CoreQuery"/>s.</summary>
internal static class QuerySetMapper
{
    /// <summary>
    /// The queries in the header's order (or, when the header lists none, the chunks' order), each with a gradient for
    /// every layer of <paramref name="schema"/>.
    /// </summary>
    /// <exception cref="DomainException">A query without a gradient chunk, or without a layer's gradient (InvalidArgument).</exception>
    public static List<CoreQuery> ToQueries(QuerySetHeader header, QueryGradientAssembler assembler, StoreSchema schema)
    {
        var domains = header.Queries.ToDictionary(q => q.Id, q => q.Domain, StringComparer.Ordinal);
        var ids = header.Queries.Count > 0 ? header.Queries.Select(q => q.Id).ToList() : assembler.Gradients.Keys.ToList();
        return ids.Select(id =>
        {
            if (!assembler.Gradients.TryGetValue(id, out var layers)) throw DomainException.InvalidArgument($"query '{id}' is in the header but no gradient chunk carried it");
            var gradients = Enumerable.Range(0, schema.Layers.Count).Select(l => layers.TryGetValue(l, out var g)
                ? g
                : throw DomainException.InvalidArgument($"query '{id}': no gradient for layer {l} ({schema.Layers[l].Name})")).ToList();
            return new CoreQuery(id, domains.GetValueOrDefault(id, ""), assembler.Measurements[id], assembler.Preconditioned[id], gradients);
        }).ToList();
    }
}
