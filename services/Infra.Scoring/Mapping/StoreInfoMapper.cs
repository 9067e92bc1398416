using Infra.Contracts.Scoring.V1;
using Infra.Core.Metadata;
using Infra.Core.Store;

namespace Infra.Scoring.Mapping;

/// <summary>Store summaries as StoreInfo's messages.</summary>
internal static class StoreInfoMapper
{
    public static MetadataColumn ToWire(MetadataColumnSummary column) => new()
    {
        Name = column.Name, Type = MetadataValue.KindName(column.Kind), Examples = (ulong)column.Examples, Distinct = (uint)column.Distinct,
    };
}
