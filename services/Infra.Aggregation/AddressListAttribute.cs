using System.ComponentModel.DataAnnotations;
using Infra.Client.Sharding;

namespace Infra.Aggregation;

/// <summary>
/// Validates a service address or list of them (<see cref="ServiceAddresses"/>: ScoringService shards, GradientService
/// workers) at start-up, naming what is wrong; <paramref name="noun"/> is how the error names an entry ("scoring address").
/// </summary>
[AttributeUsage(AttributeTargets.Property)]
internal sealed class AddressListAttribute(string noun) : ValidationAttribute
{
    protected override ValidationResult? IsValid(object? value, ValidationContext validationContext) =>
        value is null || ServiceAddresses.TryParse(value as string, noun, out _, out var error)
            ? ValidationResult.Success
            : new ValidationResult($"{validationContext.MemberName}: {error}", validationContext.MemberName is { } name ? [name] : null);
}
