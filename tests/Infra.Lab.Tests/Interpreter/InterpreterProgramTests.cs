using Infra.Lab.Interpreter;

namespace Infra.Lab.Tests.Interpreter;

public class InterpreterProgramTests
{
    [Theory]
    [InlineData("print(1 + 2 * 3)", "7")]
    [InlineData("print(7 // 2, -7 // 2, 7 % 3, -7 % 3, 7 % -3)", "3 -4 1 2 -2")]
    [InlineData("print(2 ** 10, (1 + 2) * 3)", "1024 9")]
    [InlineData("print(1 < 2 < 3, 3 < 2 < 4, not True, True and False, 0 or 5)", "True False False False 5")]
    [InlineData("x = 'ab'\nprint(x + 'c', x * 2, len(x), x[1], x[-1])", "abc abab 2 b b")]
    [InlineData("xs = [3, 1, 2]\nxs[0] = 9\nxs.append(4)\nprint(xs, len(xs), min(xs), max(xs), sum(xs), sorted(xs))", "[9, 1, 2, 4] 4 1 9 16 [1, 2, 4, 9]")]
    [InlineData("print(abs(-4), max(2, 7, 5), min([4, -1]), str(12) + '!', int('42') + 1)", "4 7 -1 12! 43")]
    [InlineData("print(['a', \"it's\"], None, True + 1)", "['a', \"it's\"] None 2")]
    [InlineData("x = 5\nif x > 3:\n    print('big')\nelif x > 1:\n    print('mid')\nelse:\n    print('small')", "big")]
    [InlineData("x = 2\nif x > 3:\n    print('big')\nelif x > 1:\n    print('mid')\nelse:\n    print('small')", "mid")]
    [InlineData("total = 0\nfor i in range(1, 10, 2):\n    total += i\nprint(total)", "25")]
    [InlineData("for i in range(5, 0, -2):\n    print(i)", "5\n3\n1")]
    [InlineData("n = 0\nwhile True:\n    n += 1\n    if n == 3:\n        continue\n    if n > 5:\n        break\n    print(n)", "1\n2\n4\n5")]
    [InlineData("out = ''\nfor ch in 'abc':\n    out = ch + out\nprint(out)", "cba")]
    [InlineData("count = 0\nfor i in range(3):\n    for j in range(3):\n        if i != j:\n            count += 1\nprint(count)", "6")]
    [InlineData("def fact(n):\n    if n <= 1:\n        return 1\n    return n * fact(n - 1)\n\nprint(fact(10))", "3628800")]
    [InlineData("def fib(n):\n    if n < 2:\n        return n\n    return fib(n - 1) + fib(n - 2)\nprint([fib(i) for_ in range(3)])", null)]
    [InlineData("def f():\n    return\nprint(f())", "None")]
    [InlineData("scale = 3\ndef f(x):\n    y = x * scale\n    return y\nprint(f(4))\n# y is local to f\nprint(scale)", "12\n3")]
    [InlineData("xs = [1,\n      2,\n      3]\nprint(xs.pop(), xs)", "3 [1, 2]")]
    public void Programs_print_what_python_prints(string source, string? expected)
    {
        if (expected is null)
        {
            // Comprehensions are outside the subset: a syntax error, not a wrong answer.
            Assert.Equal(PythonErrorKind.SyntaxError, Assert.Throws<PythonException>(() => PythonInterpreter.Run(source)).Kind);
            return;
        }
        Assert.Equal(expected + "\n", PythonInterpreter.Run(source).Output);
    }

    [Fact]
    public void Expressions_after_the_program_are_evaluated_in_its_scope()
    {
        var result = PythonInterpreter.Run("def add(a, b):\n    return a + b", ["add(2, 3)", "add('x', 'y')", "add([1], [2])"]);
        Assert.Equal(["5", "'xy'", "[1, 2]"], result.Values);
    }

    [Fact]
    public void Tracing_records_assignments_conditions_prints_calls_and_returns()
    {
        var trace = PythonInterpreter.Run("def sq(x):\n    return x * x\ny = sq(3)\nif y > 5:\n    print(y)", trace: true).Trace;
        Assert.Equal(
            [
                new TraceEvent(TraceEventKind.Call, 3, "sq(3)", ""),
                new TraceEvent(TraceEventKind.Return, 3, "sq(3)", "9"),
                new TraceEvent(TraceEventKind.Assign, 3, "y", "9"),
                new TraceEvent(TraceEventKind.Condition, 4, "if", "True"),
                new TraceEvent(TraceEventKind.Print, 5, "", "9"),
            ],
            trace);
    }
}
