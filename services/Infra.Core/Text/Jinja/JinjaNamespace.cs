namespace Infra.Core.Text.Jinja;

/// <summary>The mutable object <c>namespace(...)</c> returns: the one thing <c>{% set ns.x = ... %}</c> may change.</summary>
internal sealed class JinjaNamespace
{
    public JinjaDict Values { get; } = new();
}
