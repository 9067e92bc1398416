using System.ComponentModel.DataAnnotations;
using Infra.Client.Sharding;

namespace Infra.Aggregation;

/// <summary>Validates a ScoringService address or shard list (<see cref="ScoringAddresses"/>) at start-up, naming what is wrong.</summary>
[AttributeUsage(AttributeTargets.Property)]
internal sealed class ScoringAddressListAttribute : ValidationAttribute
{
    protected override ValidationResult? IsValid(object? value, ValidationContext validationContext) =>
        value is null || ScoringAddresses.TryParse(value as string, out _, out var error)
            ? ValidationResult.Success
            : new ValidationResult($"{validationContext.MemberName}: {error}", validationContext.MemberName is { } name ? [name] : null);
}
