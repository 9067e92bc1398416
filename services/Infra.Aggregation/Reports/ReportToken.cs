namespace Infra.Aggregation.Reports;

/// <summary>One token of a shown example.</summary>
/// <param name="Text">Its text, exactly as in the rendered example (spaces, newlines and markup characters included).</param>
/// <param name="Score">Its score.</param>
/// <param name="InResponse">True where the loss mask is 1 (the response the model learns); prompt tokens are drawn dimmed.</param>
public sealed record ReportToken(string Text, double Score, bool InResponse);
