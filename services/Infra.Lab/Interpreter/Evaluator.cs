using System.Text;
using Infra.Lab.Interpreter.Syntax;

namespace Infra.Lab.Interpreter;

/// <summary>
/// Tree-walking execution of a parsed program. Names resolve in the current frame, then in the
/// module's globals (as Python reads them); assignment always binds in the current frame.
/// </summary>
internal sealed partial class Evaluator
{
    private readonly InterpreterOptions _options;
    private readonly Dictionary<string, object?> _globals = new(StringComparer.Ordinal);
    private readonly StringBuilder _output = new();
    private readonly List<TraceEvent>? _trace;
    private long _steps;
    private int _depth;

    public Evaluator(InterpreterOptions options, bool trace)
    {
        _options = options;
        _trace = trace ? [] : null;
    }

    public string Output => _output.ToString();

    public IReadOnlyList<TraceEvent> Trace => _trace ?? (IReadOnlyList<TraceEvent>)[];

    public void RunModule(IReadOnlyList<Stmt> program)
    {
        var frame = new Frame(_globals);
        var flow = ExecBlock(program, frame);
        if (flow != Flow.Normal)
        {
            var keyword = flow.ToString().ToLowerInvariant();
            throw new PythonException(PythonErrorKind.SyntaxError, program.Count > 0 ? program[^1].Line : 1, $"'{keyword}' outside {(flow == Flow.Return ? "function" : "loop")}");
        }
    }

    public object? EvaluateInModule(Expr expr) => Eval(expr, new Frame(_globals));

    private void Record(TraceEventKind kind, int line, string subject, string value) =>
        _trace?.Add(new TraceEvent(kind, line, subject, value));

    private Flow ExecBlock(IReadOnlyList<Stmt> body, Frame frame)
    {
        foreach (var stmt in body)
        {
            var flow = Exec(stmt, frame);
            if (flow != Flow.Normal)
            {
                return flow;
            }
        }
        return Flow.Normal;
    }

    private void Step(int line)
    {
        if (++_steps > _options.MaxSteps)
        {
            throw new PythonException(PythonErrorKind.StepLimitExceeded, line, $"step limit of {_options.MaxSteps} exceeded");
        }
    }

    private Flow Exec(Stmt stmt, Frame frame)
    {
        Step(stmt.Line);
        switch (stmt)
        {
            case ExprStmt e:
                Eval(e.Value, frame);
                return Flow.Normal;
            case AssignStmt a:
                Assign(a, frame);
                return Flow.Normal;
            case IfStmt i:
                foreach (var branch in i.Branches)
                {
                    var taken = PyValues.Truthy(Eval(branch.Condition, frame));
                    Record(TraceEventKind.Condition, branch.Line, branch == i.Branches[0] ? "if" : "elif", taken ? "True" : "False");
                    if (taken)
                    {
                        return ExecBlock(branch.Body, frame);
                    }
                }
                return ExecBlock(i.Else, frame);
            case ForStmt f:
                return ExecFor(f, frame);
            case WhileStmt w:
                return ExecWhile(w, frame);
            case DefStmt d:
                frame.Locals[d.Name] = new FunctionValue(d);
                return Flow.Normal;
            case ReturnStmt r:
                frame.ReturnValue = r.Value is null ? null : Eval(r.Value, frame);
                return Flow.Return;
            case KeywordStmt k:
                return k.Keyword switch
                {
                    "break" => Flow.Break,
                    "continue" => Flow.Continue,
                    _ => Flow.Normal,
                };
            default:
                throw new InvalidOperationException($"unknown statement {stmt.GetType().Name}");
        }
    }

    private Flow ExecFor(ForStmt f, Frame frame)
    {
        var iterable = Eval(f.Iterable, frame);
        foreach (var item in Iterate(iterable, f.Line))
        {
            Step(f.Line);
            frame.Locals[f.Variable] = item;
            Record(TraceEventKind.Iterate, f.Line, f.Variable, PyValues.Repr(item));
            var flow = ExecBlock(f.Body, frame);
            if (flow == Flow.Break)
            {
                break;
            }
            if (flow == Flow.Return)
            {
                return flow;
            }
        }
        return Flow.Normal;
    }

    private Flow ExecWhile(WhileStmt w, Frame frame)
    {
        var iterations = 0;
        while (true)
        {
            var go = PyValues.Truthy(Eval(w.Condition, frame));
            Record(TraceEventKind.Condition, w.Line, "while", go ? "True" : "False");
            if (!go)
            {
                return Flow.Normal;
            }
            if (++iterations > _options.MaxWhileIterations)
            {
                throw new PythonException(PythonErrorKind.IterationLimitExceeded, w.Line, $"while loop ran more than {_options.MaxWhileIterations} iterations");
            }
            Step(w.Line);
            var flow = ExecBlock(w.Body, frame);
            if (flow == Flow.Break)
            {
                return Flow.Normal;
            }
            if (flow == Flow.Return)
            {
                return flow;
            }
        }
    }

    private void Assign(AssignStmt a, Frame frame)
    {
        var value = Eval(a.Value, frame);
        switch (a.Target)
        {
            case NameExpr name:
                if (a.Op is not null)
                {
                    value = Binary(a.Op, Lookup(name, frame), value, a.Line);
                }
                frame.Locals[name.Name] = value;
                Record(TraceEventKind.Assign, a.Line, name.Name, PyValues.Repr(value));
                break;
            case IndexExpr index:
                var target = Eval(index.Target, frame);
                var key = Eval(index.Index, frame);
                if (target is not List<object?> list)
                {
                    throw new PythonException(PythonErrorKind.TypeError, a.Line, $"'{PyValues.TypeName(target)}' object does not support item assignment");
                }
                var position = Position(list.Count, key, a.Line);
                if (a.Op is not null)
                {
                    value = Binary(a.Op, list[position], value, a.Line);
                }
                list[position] = value;
                Record(TraceEventKind.Assign, a.Line, $"{Describe(index.Target)}[{PyValues.Repr(key)}]", PyValues.Repr(value));
                break;
            default:
                throw new PythonException(PythonErrorKind.SyntaxError, a.Line, "cannot assign to this expression");
        }
    }

    private static string Describe(Expr expr) => expr is NameExpr name ? name.Name : "list";

    private object? Lookup(NameExpr name, Frame frame)
    {
        if (frame.Locals.TryGetValue(name.Name, out var value) || _globals.TryGetValue(name.Name, out value))
        {
            return value;
        }
        throw new PythonException(PythonErrorKind.NameError, name.Line, $"name '{name.Name}' is not defined");
    }

    private object? Eval(Expr expr, Frame frame)
    {
        switch (expr)
        {
            case LiteralExpr literal:
                return literal.Value;
            case NameExpr name:
                return Lookup(name, frame);
            case ListExpr list:
                return list.Items.Select(item => Eval(item, frame)).ToList();
            case IndexExpr index:
                return Index(Eval(index.Target, frame), Eval(index.Index, frame), index.Line);
            case UnaryExpr { Op: "not" } not:
                return !PyValues.Truthy(Eval(not.Operand, frame));
            case UnaryExpr unary:
                return Unary(unary.Op, Eval(unary.Operand, frame), unary.Line);
            case BinaryExpr { Op: "and" } and:
                var left = Eval(and.Left, frame);
                return PyValues.Truthy(left) ? Eval(and.Right, frame) : left;
            case BinaryExpr { Op: "or" } or:
                var first = Eval(or.Left, frame);
                return PyValues.Truthy(first) ? first : Eval(or.Right, frame);
            case BinaryExpr binary:
                return Binary(binary.Op, Eval(binary.Left, frame), Eval(binary.Right, frame), binary.Line);
            case CompareExpr compare:
                var current = Eval(compare.First, frame);
                for (var i = 0; i < compare.Ops.Count; i++)
                {
                    var next = Eval(compare.Rest[i], frame);
                    if (!Compare(compare.Ops[i], current, next, compare.Line))
                    {
                        return false;
                    }
                    current = next;
                }
                return true;
            case CallExpr call:
                return Call(call, frame);
            case MethodCallExpr method:
                return CallMethod(Eval(method.Target, frame), method.Method, method.Args.Select(arg => Eval(arg, frame)).ToList(), method.Line);
            default:
                throw new InvalidOperationException($"unknown expression {expr.GetType().Name}");
        }
    }

    private object? Call(CallExpr call, Frame frame)
    {
        var args = call.Args.Select(arg => Eval(arg, frame)).ToList();
        if (frame.Locals.TryGetValue(call.Name, out var callee) || _globals.TryGetValue(call.Name, out callee))
        {
            if (callee is FunctionValue function)
            {
                return Invoke(function.Definition, args, call.Line);
            }
            throw new PythonException(PythonErrorKind.TypeError, call.Line, $"'{PyValues.TypeName(callee)}' object is not callable");
        }
        return CallBuiltin(call.Name, args, call.Line);
    }

    private object? Invoke(DefStmt def, List<object?> args, int line)
    {
        if (args.Count != def.Parameters.Count)
        {
            throw new PythonException(PythonErrorKind.TypeError, line, $"{def.Name}() takes {def.Parameters.Count} argument(s) but {args.Count} were given");
        }
        if (_depth >= _options.MaxCallDepth)
        {
            throw new PythonException(PythonErrorKind.RecursionLimitExceeded, line, $"maximum call depth of {_options.MaxCallDepth} exceeded in {def.Name}()");
        }
        var locals = new Dictionary<string, object?>(StringComparer.Ordinal);
        for (var i = 0; i < args.Count; i++)
        {
            locals[def.Parameters[i]] = args[i];
        }
        var callText = _trace is null ? "" : $"{def.Name}({string.Join(", ", args.Select(PyValues.Repr))})";
        Record(TraceEventKind.Call, line, callText, "");
        _depth++;
        try
        {
            var callee = new Frame(locals);
            var flow = ExecBlock(def.Body, callee);
            if (flow is Flow.Break or Flow.Continue)
            {
                throw new PythonException(PythonErrorKind.SyntaxError, def.Line, $"'{(flow == Flow.Break ? "break" : "continue")}' outside loop");
            }
            var result = flow == Flow.Return ? callee.ReturnValue : null;
            Record(TraceEventKind.Return, line, callText, PyValues.Repr(result));
            return result;
        }
        finally
        {
            _depth--;
        }
    }
}
