namespace Infra.Lab.Interpreter;

/// <summary>What a run produced.</summary>
/// <param name="Output">Everything printed, each print ending in "\n".</param>
/// <param name="Trace">The run's events when tracing was asked for; otherwise empty.</param>
/// <param name="Values">The repr of each expression evaluated after the program, in order.</param>
public sealed record ProgramResult(string Output, IReadOnlyList<TraceEvent> Trace, IReadOnlyList<string> Values);
