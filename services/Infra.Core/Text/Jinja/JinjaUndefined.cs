namespace Infra.Core.Text.Jinja;

/// <summary>
/// A name or attribute that does not exist. As in the reference renderer, it prints as nothing, is falsy, and reading
/// an attribute of it gives undefined again (no error); arithmetic and concatenation with it are errors.
/// </summary>
public sealed class JinjaUndefined
{
    /// <summary>The one undefined value.</summary>
    public static readonly JinjaUndefined Value = new();

    private JinjaUndefined() { }

    /// <summary>Prints as nothing.</summary>
    public override string ToString() => "";
}
