using Infra.Lab.Interpreter;
using static System.FormattableString;

namespace Infra.Lab.Corpus.CodeProblems;

/// <summary>Turns an interpreter trace into step-by-step reasoning that quotes the source lines.</summary>
internal static class TraceNarrator
{
    // Long traces keep their beginning and end; the middle repeats the same loop or recursion.
    private const int MaxNarratedEvents = 80;
    private const int TailEvents = 15;

    public static IEnumerable<string> Narrate(string source, IReadOnlyList<TraceEvent> trace)
    {
        var lines = source.Split('\n');
        string Quote(int line) => $"`{lines[line - 1].Trim()}`";
        var narrated = trace.Count <= MaxNarratedEvents
            ? trace.Select(Describe)
            : trace.Take(MaxNarratedEvents - TailEvents).Select(Describe)
                .Append($"... the same pattern continues for {trace.Count - MaxNarratedEvents} more steps ...")
                .Concat(trace.Skip(trace.Count - TailEvents).Select(Describe));
        return narrated;

        string Describe(TraceEvent e) => e.Kind switch
        {
            TraceEventKind.Assign => Invariant($"Line {e.Line}: {Quote(e.Line)} sets {e.Subject} = {e.Value}."),
            TraceEventKind.Iterate => Invariant($"Line {e.Line}: the loop sets {e.Subject} = {e.Value}."),
            TraceEventKind.Condition => Invariant($"Line {e.Line}: the condition of {Quote(e.Line)} is {e.Value}."),
            TraceEventKind.Print => Invariant($"Line {e.Line}: {Quote(e.Line)} prints {e.Value}."),
            TraceEventKind.Call => $"Call {e.Subject}.",
            _ => $"{e.Subject} returns {e.Value}.",
        };
    }
}
