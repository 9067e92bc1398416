using System.Text;

namespace Infra.Core.Text.Jinja;

/// <summary>
/// Evaluates a parsed template as @huggingface/jinja's <c>Interpreter</c> does: a block's output is the concatenation
/// of its statements' printed values (None and undefined print nothing), <c>for</c> and macro calls open child scopes,
/// macros see their caller's scope.
/// </summary>
internal sealed class JinjaInterpreter
{
    private sealed class BreakSignal : Exception;

    private sealed class ContinueSignal : Exception;

    public string EvaluateBlock(IReadOnlyList<JinjaNode> statements, JinjaScope scope)
    {
        var sb = new StringBuilder();
        foreach (var statement in statements)
        {
            var value = Evaluate(statement, scope);
            if (value is not (null or JinjaUndefined)) sb.Append(JinjaValues.Display(value));
        }
        return sb.ToString();
    }

    public object? Evaluate(JinjaNode? node, JinjaScope scope) => node switch
    {
        null => JinjaUndefined.Value,
        TextNode t => t.Value,
        CommentNode => null,
        SetNode s => EvaluateSet(s, scope),
        IfNode i => EvaluateBlock(JinjaValues.IsTruthy(Evaluate(i.Test, scope)) ? i.Body : i.Alternate, scope),
        ForNode f => EvaluateFor(f, scope),
        MacroNode m => DefineMacro(m, scope),
        CallBlockNode c => EvaluateCallBlock(c, scope),
        FilterBlockNode fb => JinjaFilters.Apply(EvaluateBlock(fb.Body, scope), fb.Filter, this, scope),
        BreakNode => throw new BreakSignal(),
        ContinueNode => throw new ContinueSignal(),
        IntegerNode n => n.Value,
        FloatNode n => n.Value,
        StringNode s => s.Value,
        ArrayNode a => a.Items.Select(x => Evaluate(x, scope)).ToList(),
        TupleNode t => t.Items.Select(x => Evaluate(x, scope)).ToList(),
        ObjectNode o => EvaluateObject(o, scope),
        IdentifierNode id => scope.Lookup(id.Name),
        CallNode c => EvaluateCall(c, scope),
        MemberNode m => EvaluateMember(m, scope),
        UnaryNode u => JinjaOperators.Unary(u.Operator, Evaluate(u.Argument, scope)),
        BinaryNode b => EvaluateBinary(b, scope),
        FilterNode f => JinjaFilters.Apply(Evaluate(f.Operand, scope), f.Filter, this, scope),
        TestNode t => EvaluateTest(t, scope),
        SelectNode s => JinjaValues.IsTruthy(Evaluate(s.Test, scope)) ? Evaluate(s.Value, scope) : JinjaUndefined.Value,
        TernaryNode t => Evaluate(JinjaValues.IsTruthy(Evaluate(t.Condition, scope)) ? t.IfTrue : t.IfFalse, scope),
        _ => throw new JinjaException($"Unknown node type: {node.GetType().Name}"),
    };

    public (List<object?> Positional, JinjaDict Keywords) EvaluateArguments(IReadOnlyList<JinjaNode> args, JinjaScope scope)
    {
        var positional = new List<object?>();
        var keywords = new JinjaDict();
        foreach (var argument in args)
        {
            if (argument is SpreadNode spread)
            {
                if (Evaluate(spread.Argument, scope) is not List<object?> items) throw new JinjaException("Cannot unpack non-iterable type");
                positional.AddRange(items);
            }
            else if (argument is not (KeywordArgumentNode or KeywordSpreadNode))
            {
                positional.Add(Evaluate(argument, scope));
            }
        }
        foreach (var argument in args)
        {
            if (argument is KeywordArgumentNode kw)
            {
                keywords[kw.Key] = Evaluate(kw.Value, scope);
            }
            else if (argument is KeywordSpreadNode ks)
            {
                if (Evaluate(ks.Argument, scope) is not JinjaDict dict) throw new JinjaException("Cannot unpack non-mapping type");
                foreach (var (k, v) in dict) keywords[k] = v;
            }
        }
        return (positional, keywords);
    }

    private object? EvaluateBinary(BinaryNode node, JinjaScope scope)
    {
        var left = Evaluate(node.Left, scope);
        return node.Operator switch
        {
            "and" => JinjaValues.IsTruthy(left) ? Evaluate(node.Right, scope) : left,
            "or" => JinjaValues.IsTruthy(left) ? left : Evaluate(node.Right, scope),
            _ => JinjaOperators.Binary(node.Operator, left, Evaluate(node.Right, scope)),
        };
    }

    private bool EvaluateTest(TestNode node, JinjaScope scope)
    {
        var operand = Evaluate(node.Operand, scope);
        if (!JinjaTests.Exists(node.Test)) throw new JinjaException($"Unknown test: {node.Test}");
        return JinjaTests.Apply(node.Test, operand) != node.Negate;
    }

    private JinjaDict EvaluateObject(ObjectNode node, JinjaScope scope)
    {
        var dict = new JinjaDict();
        foreach (var (keyNode, valueNode) in node.Entries)
        {
            if (Evaluate(keyNode, scope) is not string key) throw new JinjaException("Object keys must be strings");
            dict[key] = Evaluate(valueNode, scope);
        }
        return dict;
    }

    private object? EvaluateCall(CallNode node, JinjaScope scope)
    {
        var (args, keywords) = EvaluateArguments(node.Args, scope);
        if (keywords.Count > 0) args.Add(new JinjaKeywordArguments(keywords));
        var fn = Evaluate(node.Callee, scope);
        if (fn is not JinjaFunction function) throw new JinjaException($"Cannot call something that is not a function: got {JinjaValues.TypeName(fn)}");
        return function(args, scope);
    }

    private object? EvaluateMember(MemberNode node, JinjaScope scope)
    {
        var obj = Evaluate(node.Object, scope);
        object? property;
        if (node.Computed)
        {
            if (node.Property is SliceNode slice) return EvaluateSlice(obj, slice, scope);
            property = Evaluate(node.Property, scope);
        }
        else
        {
            property = node.Property is IntegerNode i ? i.Value : ((IdentifierNode)node.Property).Name;
        }
        object? value;
        switch (obj)
        {
            case JinjaDict or JinjaNamespace:
                if (property is not string key) throw new JinjaException($"Cannot access property with non-string: got {JinjaValues.TypeName(property)}");
                var container = obj as JinjaDict ?? ((JinjaNamespace)obj).Values;
                value = container.TryGetValue(key, out var v) ? v : obj is JinjaDict ? JinjaBuiltins.Get(obj, key) : null;
                return value ?? (container.ContainsKey(key) ? null : JinjaUndefined.Value);
            case List<object?> or string:
                if (property is long index)
                {
                    var length = obj is string s0 ? s0.Length : ((List<object?>)obj).Count;
                    var at = index < 0 ? length + index : index;
                    if (at < 0 || at >= length) return JinjaUndefined.Value;
                    return obj is string s ? s[(int)at].ToString() : ((List<object?>)obj)[(int)at];
                }
                if (property is string name) return JinjaBuiltins.Get(obj, name) ?? JinjaUndefined.Value;
                throw new JinjaException($"Cannot access property with non-string/non-number: got {JinjaValues.TypeName(property)}");
            default:
                if (property is not string) throw new JinjaException($"Cannot access property with non-string: got {JinjaValues.TypeName(property)}");
                return JinjaUndefined.Value;
        }
    }

    private object EvaluateSlice(object? obj, SliceNode node, JinjaScope scope)
    {
        if (obj is not (List<object?> or string)) throw new JinjaException("Slice object must be an array or string");
        long? Bound(JinjaNode? n, string what) => Evaluate(n, scope) switch
        {
            long l => l,
            JinjaUndefined => null,
            _ => throw new JinjaException($"Slice {what} must be numeric or undefined"),
        };
        var start = Bound(node.Start, "start");
        var stop = Bound(node.Stop, "stop");
        var step = Bound(node.Step, "step");
        if (obj is List<object?> list) return Slice(list, start, stop, step);
        return string.Concat(Slice(JsText.CodePoints((string)obj), start, stop, step));
    }

    // Python's slice semantics as the reference's utils.slice computes them.
    private static List<T> Slice<T>(List<T> array, long? start, long? stop, long? stepOrNull)
    {
        var step = stepOrNull ?? 1;
        var n = array.Count;
        long s, e;
        if (step >= 0)
        {
            s = start is { } a ? (a < 0 ? Math.Max(n + a, 0) : Math.Min(a, n)) : 0;
            e = stop is { } b ? (b < 0 ? Math.Max(n + b, 0) : Math.Min(b, n)) : n;
        }
        else
        {
            s = start is { } a ? (a < 0 ? Math.Max(n + a, -1) : Math.Min(a, n - 1)) : n - 1;
            e = stop is { } b ? (b < -1 ? Math.Max(n + b, -1) : Math.Min(b, n - 1)) : -1;
        }
        var direction = Math.Sign(step);
        var result = new List<T>();
        if (step == 0) return result;
        for (var i = s; direction * i < direction * e; i += step) result.Add(array[(int)i]);
        return result;
    }

    private object? EvaluateSet(SetNode node, JinjaScope scope)
    {
        var rhs = node.Value is not null ? Evaluate(node.Value, scope) : EvaluateBlock(node.Body, scope);
        switch (node.Assignee)
        {
            case IdentifierNode id:
                scope.Set(id.Name, rhs);
                break;
            case TupleNode tuple:
                if (rhs is not List<object?> items) throw new JinjaException($"Cannot unpack non-iterable type in set: {JinjaValues.TypeName(rhs)}");
                if (items.Count != tuple.Items.Count) throw new JinjaException($"Too {(tuple.Items.Count > items.Count ? "few" : "many")} items to unpack in set");
                for (var i = 0; i < items.Count; i++)
                {
                    if (tuple.Items[i] is not IdentifierNode target) throw new JinjaException("Cannot unpack to non-identifier in set");
                    scope.Set(target.Name, items[i]);
                }
                break;
            case MemberNode member:
                if (Evaluate(member.Object, scope) is not JinjaNamespace ns) throw new JinjaException("Cannot assign attribute on non-namespace object");
                if (member.Property is not IdentifierNode prop) throw new JinjaException("Cannot assign to member with non-identifier property");
                ns.Values[prop.Name] = rhs;
                break;
            default:
                throw new JinjaException("Invalid LHS inside assignment expression");
        }
        return null;
    }

    private string EvaluateFor(ForNode node, JinjaScope outer)
    {
        var scope = new JinjaScope(outer);
        JinjaNode? test = null;
        object? iterable;
        if (node.Iterable is SelectNode select)
        {
            iterable = Evaluate(select.Value, scope);
            test = select.Test;
        }
        else
        {
            iterable = Evaluate(node.Iterable, scope);
        }
        var source = iterable switch
        {
            List<object?> list => list,
            JinjaDict dict => dict.Keys.Cast<object?>().ToList(),
            _ => throw new JinjaException($"Expected iterable or object type in for loop: got {JinjaValues.TypeName(iterable)}"),
        };
        var items = new List<object?>();
        foreach (var current in source)
        {
            if (test is not null)
            {
                var loopScope = new JinjaScope(scope);
                Bind(node.LoopVar, current, loopScope);
                if (!JinjaValues.IsTruthy(Evaluate(test, loopScope))) continue;
            }
            items.Add(current);
        }
        var result = new StringBuilder();
        var noIteration = true;
        for (var i = 0; i < items.Count; i++)
        {
            scope.Set("loop", new JinjaDict
            {
                ["index"] = (long)(i + 1),
                ["index0"] = (long)i,
                ["revindex"] = (long)(items.Count - i),
                ["revindex0"] = (long)(items.Count - i - 1),
                ["first"] = i == 0,
                ["last"] = i == items.Count - 1,
                ["length"] = (long)items.Count,
                ["previtem"] = i > 0 ? items[i - 1] : JinjaUndefined.Value,
                ["nextitem"] = i < items.Count - 1 ? items[i + 1] : JinjaUndefined.Value,
            });
            Bind(node.LoopVar, items[i], scope);
            try
            {
                result.Append(EvaluateBlock(node.Body, scope));
            }
            catch (ContinueSignal)
            {
                // As in the reference, an iteration cut short does not count as one for the loop's else block.
                continue;
            }
            catch (BreakSignal)
            {
                break;
            }
            noIteration = false;
        }
        if (noIteration) result.Append(EvaluateBlock(node.Else, scope));
        return result.ToString();
    }

    private static void Bind(JinjaNode target, object? value, JinjaScope scope)
    {
        if (target is IdentifierNode id)
        {
            scope.Set(id.Name, value);
            return;
        }
        var tuple = (TupleNode)target;
        if (value is not List<object?> items) throw new JinjaException($"Cannot unpack non-iterable type: {JinjaValues.TypeName(value)}");
        if (items.Count != tuple.Items.Count) throw new JinjaException($"Too {(tuple.Items.Count > items.Count ? "few" : "many")} items to unpack");
        for (var j = 0; j < items.Count; j++)
        {
            if (tuple.Items[j] is not IdentifierNode name) throw new JinjaException("Cannot unpack non-identifier type");
            scope.Set(name.Name, items[j]);
        }
    }

    private object? DefineMacro(MacroNode node, JinjaScope scope)
    {
        var special = JinjaMacroArguments.AccessedSpecial(node.Parameters, node.Body);
        scope.Set(node.Name, new JinjaFunction((args, callerScope) =>
        {
            var macroScope = new JinjaScope(callerScope);
            JinjaMacroArguments.Bind(this, $"'{node.Name}'", node.Parameters, special, args, macroScope);
            return EvaluateBlock(node.Body, macroScope);
        }));
        return null;
    }

    private object? EvaluateCallBlock(CallBlockNode node, JinjaScope scope)
    {
        var parameters = node.CallerParameters ?? [];
        var special = JinjaMacroArguments.AccessedSpecial(parameters, node.Body);
        var caller = new JinjaFunction((callerArgs, _) =>
        {
            var callScope = new JinjaScope(scope);
            JinjaMacroArguments.Bind(this, "None", parameters, special, callerArgs, callScope);
            return EvaluateBlock(node.Body, callScope);
        });
        var (args, keywords) = EvaluateArguments(node.Call.Args, scope);
        args.Add(new JinjaKeywordArguments(keywords));
        if (Evaluate(node.Call.Callee, scope) is not JinjaFunction fn) throw new JinjaException("Cannot call something that is not a function");
        var callEnvironment = new JinjaScope(scope);
        callEnvironment.Set("caller", caller);
        return fn(args, callEnvironment);
    }
}
