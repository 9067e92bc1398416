using System.Reflection;
using Google.Protobuf.Reflection;

namespace Infra.Contracts;

/// <summary>Proto enum values by the names the .proto files give them.</summary>
public static class WireEnum
{
    /// <summary>
    /// The value's .proto name without its enum's prefix: <c>TokenCategory.NaturalLanguageConnector</c> -> "NATURAL_LANGUAGE_CONNECTOR"
    /// (the prefix is what precedes "UNSPECIFIED" in the zero value's name). A value the generated code does not know: its number.
    /// </summary>
    public static string Name<T>(T value) where T : struct, Enum
    {
        var name = Original(value.ToString());
        if (name is null) return Convert.ToInt64(value, System.Globalization.CultureInfo.InvariantCulture).ToString(System.Globalization.CultureInfo.InvariantCulture);
        var zero = Original(Enum.GetName(default(T)) ?? "");
        const string unspecified = "UNSPECIFIED";
        var prefix = zero is not null && zero.EndsWith(unspecified, StringComparison.Ordinal) ? zero[..^unspecified.Length] : "";
        return name.StartsWith(prefix, StringComparison.Ordinal) ? name[prefix.Length..] : name;

        static string? Original(string member) => typeof(T).GetField(member)?.GetCustomAttribute<OriginalNameAttribute>()?.Name;
    }
}
