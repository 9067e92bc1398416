namespace Infra.Aggregation.Reweighting;

/// <summary>Which queries define an example's influence for reweighting.</summary>
public enum InfluenceScope
{
    /// <summary>The queries of the example's own training domain (math examples by math queries, code by code). The default.</summary>
    OwnDomain,
    /// <summary>Every query of the set.</summary>
    AllQueries,
}
