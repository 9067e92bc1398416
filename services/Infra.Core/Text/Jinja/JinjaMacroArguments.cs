namespace Infra.Core.Text.Jinja;

/// <summary>
/// Binds a macro's (or a call block's caller's) arguments as the reference does: positional, then keyword, then the
/// parameter's default (evaluated in the macro's scope, after the others are bound); extra arguments are an error
/// unless the body reads <c>varargs</c> or <c>kwargs</c>.
/// </summary>
internal static class JinjaMacroArguments
{
    public static (bool Kwargs, bool Varargs) AccessedSpecial(IReadOnlyList<JinjaNode> parameters, IReadOnlyList<JinjaNode> body)
    {
        var declared = parameters.Select(Name).ToHashSet(StringComparer.Ordinal);
        var used = new HashSet<string>(StringComparer.Ordinal);
        foreach (var node in body.Concat(parameters.OfType<KeywordArgumentNode>().Select(p => p.Value))) Collect(node, used);
        return (used.Contains("kwargs") && !declared.Contains("kwargs"), used.Contains("varargs") && !declared.Contains("varargs"));
    }

    public static void Bind(
        JinjaInterpreter interpreter, string displayName, IReadOnlyList<JinjaNode> parameters, (bool Kwargs, bool Varargs) special,
        List<object?> args, JinjaScope scope)
    {
        var positional = args.ToList();
        var keywords = new JinjaDict();
        if (positional.Count > 0 && positional[^1] is JinjaKeywordArguments kw)
        {
            keywords = new JinjaDict(kw);
            positional.RemoveAt(positional.Count - 1);
        }
        var pendingDefaults = new List<(string, JinjaNode)>();
        for (var i = 0; i < parameters.Count; i++)
        {
            var name = Name(parameters[i]);
            var value = i < positional.Count ? positional[i] : JinjaUndefined.Value;
            var given = i < positional.Count;
            if (!given && keywords.Remove(name, out var fromKeyword))
            {
                value = fromKeyword;
                given = true;
            }
            if (!given && parameters[i] is KeywordArgumentNode withDefault) pendingDefaults.Add((name, withDefault.Value));
            scope.Set(name, value);
        }
        if (special.Kwargs) scope.Set("kwargs", keywords);
        else if (keywords.Count > 0) throw new JinjaException($"macro {displayName} takes no keyword argument '{keywords.GetAt(0).Key}'");
        if (special.Varargs) scope.Set("varargs", positional.Skip(parameters.Count).ToList());
        else if (positional.Count > parameters.Count) throw new JinjaException($"macro {displayName} takes not more than {parameters.Count} argument(s)");
        foreach (var (name, defaultValue) in pendingDefaults) scope.Set(name, interpreter.Evaluate(defaultValue, scope));
    }

    private static string Name(JinjaNode parameter) => parameter switch
    {
        IdentifierNode id => id.Name,
        KeywordArgumentNode kw => kw.Key,
        _ => throw new JinjaException("Expected identifier for parameter declaration"),
    };

    private static void Collect(JinjaNode? node, HashSet<string> names)
    {
        switch (node)
        {
            case null:
                return;
            case IdentifierNode id:
                names.Add(id.Name);
                return;
            case MemberNode m:
                Collect(m.Object, names);
                if (m.Computed) Collect(m.Property, names);
                return;
        }
        foreach (var child in Children(node)) Collect(child, names);
    }

    private static IEnumerable<JinjaNode> Children(JinjaNode node) => node switch
    {
        SetNode s => s.Value is null ? s.Body : [s.Value, .. s.Body],
        IfNode i => [i.Test, .. i.Body, .. i.Alternate],
        ForNode f => [f.Iterable, .. f.Body, .. f.Else],
        MacroNode m => [.. m.Parameters.OfType<KeywordArgumentNode>(), .. m.Body],
        CallBlockNode c => [c.Call, .. c.Body],
        FilterBlockNode fb => [fb.Filter, .. fb.Body],
        ArrayNode a => a.Items,
        TupleNode t => t.Items,
        ObjectNode o => o.Entries.SelectMany(e => new[] { e.Key, e.Value }),
        CallNode c => [c.Callee, .. c.Args],
        SliceNode s => new[] { s.Start, s.Stop, s.Step }.OfType<JinjaNode>(),
        UnaryNode u => [u.Argument],
        BinaryNode b => [b.Left, b.Right],
        FilterNode f => [f.Operand, f.Filter],
        TestNode t => [t.Operand],
        SelectNode s => [s.Value, s.Test],
        TernaryNode t => [t.Condition, t.IfTrue, t.IfFalse],
        KeywordArgumentNode kw => [kw.Value],
        SpreadNode s => [s.Argument],
        KeywordSpreadNode ks => [ks.Argument],
        _ => [],
    };
}
