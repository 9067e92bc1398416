namespace Infra.Lab.Corpus.CodeProblems;

/// <summary>A write-a-function task: what is asked, how the reference solves it, and the hidden test calls.</summary>
internal sealed record FunctionTask(string Name, string Request, string Approach, string Code, IReadOnlyList<string> Tests);
