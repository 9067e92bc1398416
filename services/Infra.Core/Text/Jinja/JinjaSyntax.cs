namespace Infra.Core.Text.Jinja;

// The syntax tree, one record per node kind of @huggingface/jinja's ast.ts. They are kept in one file because they
// are a closed set that changes together with the parser and the interpreter, and each is one line.

internal abstract record JinjaNode;

internal sealed record TextNode(string Value) : JinjaNode;

internal sealed record CommentNode : JinjaNode;

internal sealed record SetNode(JinjaNode Assignee, JinjaNode? Value, IReadOnlyList<JinjaNode> Body) : JinjaNode;

internal sealed record IfNode(JinjaNode Test, IReadOnlyList<JinjaNode> Body, IReadOnlyList<JinjaNode> Alternate) : JinjaNode;

internal sealed record ForNode(JinjaNode LoopVar, JinjaNode Iterable, IReadOnlyList<JinjaNode> Body, IReadOnlyList<JinjaNode> Else) : JinjaNode;

internal sealed record MacroNode(string Name, IReadOnlyList<JinjaNode> Parameters, IReadOnlyList<JinjaNode> Body) : JinjaNode;

internal sealed record CallBlockNode(CallNode Call, IReadOnlyList<JinjaNode>? CallerParameters, IReadOnlyList<JinjaNode> Body) : JinjaNode;

internal sealed record FilterBlockNode(JinjaNode Filter, IReadOnlyList<JinjaNode> Body) : JinjaNode;

internal sealed record BreakNode : JinjaNode;

internal sealed record ContinueNode : JinjaNode;

internal sealed record IntegerNode(long Value) : JinjaNode;

internal sealed record FloatNode(double Value) : JinjaNode;

internal sealed record StringNode(string Value) : JinjaNode;

internal sealed record ArrayNode(IReadOnlyList<JinjaNode> Items) : JinjaNode;

internal sealed record TupleNode(IReadOnlyList<JinjaNode> Items) : JinjaNode;

internal sealed record ObjectNode(IReadOnlyList<(JinjaNode Key, JinjaNode Value)> Entries) : JinjaNode;

internal sealed record IdentifierNode(string Name) : JinjaNode;

internal sealed record CallNode(JinjaNode Callee, IReadOnlyList<JinjaNode> Args) : JinjaNode;

internal sealed record MemberNode(JinjaNode Object, JinjaNode Property, bool Computed) : JinjaNode;

internal sealed record SliceNode(JinjaNode? Start, JinjaNode? Stop, JinjaNode? Step) : JinjaNode;

internal sealed record UnaryNode(string Operator, JinjaNode Argument) : JinjaNode;

internal sealed record BinaryNode(string Operator, JinjaNode Left, JinjaNode Right) : JinjaNode;

internal sealed record FilterNode(JinjaNode Operand, JinjaNode Filter) : JinjaNode;

internal sealed record TestNode(JinjaNode Operand, bool Negate, string Test) : JinjaNode;

internal sealed record SelectNode(JinjaNode Value, JinjaNode Test) : JinjaNode;

internal sealed record TernaryNode(JinjaNode Condition, JinjaNode IfTrue, JinjaNode IfFalse) : JinjaNode;

internal sealed record KeywordArgumentNode(string Key, JinjaNode Value) : JinjaNode;

internal sealed record SpreadNode(JinjaNode Argument) : JinjaNode;

internal sealed record KeywordSpreadNode(JinjaNode Argument) : JinjaNode;
