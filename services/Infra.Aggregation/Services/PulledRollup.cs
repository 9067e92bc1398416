using Infra.Aggregation.Rollups;
using Infra.Contracts.Scoring.V1;

namespace Infra.Aggregation.Services;

/// <summary>A roll-up pulled from the ScoringService, with the store's state (difficulty schemes, path, model) read before it.</summary>
internal sealed record PulledRollup(InfluenceRollup Rollup, StoreInfoResponse Store);
