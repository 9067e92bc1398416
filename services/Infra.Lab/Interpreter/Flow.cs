namespace Infra.Lab.Interpreter;

/// <summary>How a block finished: control flow is returned, not thrown, so loops stay cheap.</summary>
internal enum Flow
{
    Normal,
    Break,
    Continue,
    Return,
}
