namespace Infra.Core.Text.Jinja;

/// <summary>
/// The <c>tojson</c> filter's arguments. Defaults as the reference renderer (and HF's own <c>tojson</c>): no indent,
/// <c>ensure_ascii=False</c>, no key sorting, separators <c>", "</c> and <c>": "</c> (<c>","</c> between items once
/// indented).
/// </summary>
internal sealed record JinjaJsonOptions(int? Indent = null, bool EnsureAscii = false, bool SortKeys = false, string? ItemSeparator = null, string? KeySeparator = null);
