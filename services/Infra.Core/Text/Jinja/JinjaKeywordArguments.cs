namespace Infra.Core.Text.Jinja;

/// <summary>Keyword arguments of a call, passed as the last positional argument (as the reference does).</summary>
internal sealed class JinjaKeywordArguments : JinjaDict
{
    public JinjaKeywordArguments(IEnumerable<KeyValuePair<string, object?>> entries) : base(entries) { }
}
