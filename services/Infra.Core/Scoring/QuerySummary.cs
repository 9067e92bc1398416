using System.Text.Json.Serialization;

namespace Infra.Core.Scoring;

/// <summary>A registered query without its gradients: id, domain, measurement f, and whether it arrived full-space preconditioned.</summary>
public sealed record QuerySummary(
    [property: JsonPropertyName("id")] string Id,
    [property: JsonPropertyName("domain")] string Domain,
    [property: JsonPropertyName("measurement")] float Measurement,
    [property: JsonPropertyName("preconditioned")] bool Preconditioned);
