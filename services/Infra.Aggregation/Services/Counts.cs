namespace Infra.Aggregation.Services;

/// <summary>A request's uint32 count as an int: 0 means the default, and a value beyond int's range means "all" rather than wrapping negative.</summary>
internal static class Counts
{
    /// <summary><paramref name="whenZero"/> for 0, else <paramref name="value"/> capped at <see cref="int.MaxValue"/>.</summary>
    public static int Of(uint value, int whenZero) => value == 0 ? whenZero : (int)Math.Min(value, int.MaxValue);
}
