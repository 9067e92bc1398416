namespace Infra.Lab.Interpreter;

/// <summary>A lazy <c>range</c>, so that a huge range costs nothing until the step limit stops it.</summary>
internal sealed record RangeValue(long Start, long Stop, long Step)
{
    public long Count => Step > 0
        ? (Stop > Start ? ((Stop - Start - 1) / Step) + 1 : 0)
        : (Start > Stop ? ((Start - Stop - 1) / -Step) + 1 : 0);

    public long this[long index] => Start + (index * Step);
}
