using Infra.Lab.Interpreter.Syntax;

namespace Infra.Lab.Corpus;

/// <summary>
/// The difficulty rule for code: the most demanding control flow sets a level — 1 straight-line,
/// 2 if/elif/else, 3 one loop (for or while, not nested), 4 nested loops or a call of a helper
/// function, 5 recursion — and a program of more than <see cref="LongProgramStatements"/>
/// statements goes up one level (capped at 5). For write-a-function tasks the function the task
/// asks for is not itself a "helper": its body is rated, and it is recursive if it calls itself.
/// </summary>
public static class CodeDifficulty
{
    /// <summary>Statement count above which a program is one level harder: 12.</summary>
    public const int LongProgramStatements = 12;

    /// <summary>Rates <paramref name="source"/>; <paramref name="requiredFunction"/> names the function a write task asks for.</summary>
    public static int Rate(string source, string? requiredFunction = null)
    {
        var program = Parser.ParseProgram(source);
        var defined = program.OfType<DefStmt>().Select(d => d.Name).ToHashSet(StringComparer.Ordinal);
        var features = new Features();
        foreach (var def in program.OfType<DefStmt>())
        {
            if (Calls(def.Body).Contains(def.Name))
            {
                features.Recursive = true;
            }
        }
        Walk(program, 0, features);
        var helperCalled = Calls(program).Any(name => defined.Contains(name) && name != requiredFunction);
        var level = features.Recursive ? 5
            : features.MaxLoopDepth >= 2 || helperCalled ? 4
            : features.MaxLoopDepth == 1 ? 3
            : features.HasIf ? 2
            : 1;
        // The required def line is the task's frame, not part of the solution's size.
        var size = features.Statements - (requiredFunction is null ? 0 : 1);
        return System.Math.Min(5, level + (size > LongProgramStatements ? 1 : 0));
    }

    private static void Walk(IReadOnlyList<Stmt> body, int loopDepth, Features features)
    {
        foreach (var stmt in body)
        {
            features.Statements++;
            switch (stmt)
            {
                case IfStmt i:
                    features.HasIf = true;
                    foreach (var branch in i.Branches)
                    {
                        Walk(branch.Body, loopDepth, features);
                    }
                    Walk(i.Else, loopDepth, features);
                    break;
                case ForStmt f:
                    features.MaxLoopDepth = System.Math.Max(features.MaxLoopDepth, loopDepth + 1);
                    Walk(f.Body, loopDepth + 1, features);
                    break;
                case WhileStmt w:
                    features.MaxLoopDepth = System.Math.Max(features.MaxLoopDepth, loopDepth + 1);
                    Walk(w.Body, loopDepth + 1, features);
                    break;
                case DefStmt d:
                    // Loops inside a function nest with the loops around its calls only at run time;
                    // statically, a function body starts at depth zero.
                    Walk(d.Body, 0, features);
                    break;
                default:
                    break;
            }
        }
    }

    /// <summary>Names called anywhere in <paramref name="body"/>, nested blocks included.</summary>
    private static HashSet<string> Calls(IReadOnlyList<Stmt> body)
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var stmt in body)
        {
            foreach (var expr in Expressions(stmt))
            {
                Collect(expr, names);
            }
            foreach (var block in Blocks(stmt))
            {
                names.UnionWith(Calls(block));
            }
        }
        return names;
    }

    private static IEnumerable<Expr> Expressions(Stmt stmt) => stmt switch
    {
        ExprStmt e => [e.Value],
        AssignStmt a => [a.Target, a.Value],
        IfStmt i => i.Branches.Select(b => b.Condition),
        ForStmt f => [f.Iterable],
        WhileStmt w => [w.Condition],
        ReturnStmt { Value: { } value } => [value],
        _ => [],
    };

    private static IEnumerable<IReadOnlyList<Stmt>> Blocks(Stmt stmt) => stmt switch
    {
        IfStmt i => i.Branches.Select(b => b.Body).Append(i.Else),
        ForStmt f => [f.Body],
        WhileStmt w => [w.Body],
        DefStmt d => [d.Body],
        _ => [],
    };

    private static void Collect(Expr expr, HashSet<string> names)
    {
        switch (expr)
        {
            case CallExpr call:
                names.Add(call.Name);
                call.Args.ToList().ForEach(arg => Collect(arg, names));
                break;
            case MethodCallExpr method:
                Collect(method.Target, names);
                method.Args.ToList().ForEach(arg => Collect(arg, names));
                break;
            case BinaryExpr binary:
                Collect(binary.Left, names);
                Collect(binary.Right, names);
                break;
            case UnaryExpr unary:
                Collect(unary.Operand, names);
                break;
            case CompareExpr compare:
                Collect(compare.First, names);
                compare.Rest.ToList().ForEach(e => Collect(e, names));
                break;
            case IndexExpr index:
                Collect(index.Target, names);
                Collect(index.Index, names);
                break;
            case ListExpr list:
                list.Items.ToList().ForEach(e => Collect(e, names));
                break;
            default:
                break;
        }
    }

    private sealed class Features
    {
        public bool HasIf { get; set; }

        public int MaxLoopDepth { get; set; }

        public bool Recursive { get; set; }

        public int Statements { get; set; }
    }
}
