using System.Text.RegularExpressions;

namespace Infra.Core.Text.Jinja;

/// <summary>
/// The text rewrites the reference applies before lexing, as HF's <c>apply_chat_template</c> configures Jinja: drop
/// one trailing newline, <c>lstrip_blocks</c> (spaces and tabs before a tag at a line start), <c>trim_blocks</c> (the
/// newline after a tag), and remove transformers' <c>{% generation %}</c> tags.
/// </summary>
internal static partial class JinjaPreprocessor
{
    public static string Apply(string template)
    {
        if (template.EndsWith('\n')) template = template[..^1];
        // JavaScript's multiline ^ also matches after \r, U+2028 and U+2029; .NET's only after \n.
        template = LineStartBeforeTag().Replace(template, "$1");
        template = NewlineAfterTag().Replace(template, "$1");
        return GenerationTag().Replace(template, m =>
            (m.Groups[2].Value.Length > 0 ? "" : m.Groups[1].Value) + (m.Groups[3].Value.Length > 0 ? "" : m.Groups[4].Value));
    }

    [GeneratedRegex("(?<=\\A|[\\n\\r\\u2028\\u2029])[ \\t]*(\\{[#%-])")]
    private static partial Regex LineStartBeforeTag();

    [GeneratedRegex("([#%-]\\})\\n")]
    private static partial Regex NewlineAfterTag();

    [GeneratedRegex("(" + JsText.WhitespaceClass + "*)\\{%(-?)" + JsText.WhitespaceClass + "*(?:end)?generation" + JsText.WhitespaceClass + "*(-?)%\\}(" + JsText.WhitespaceClass + "*)")]
    private static partial Regex GenerationTag();
}
