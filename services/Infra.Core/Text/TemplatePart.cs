namespace Infra.Core.Text;

/// <summary>A piece of rendered chat text, encoded on its own; <paramref name="Trained"/> sets its loss mask.</summary>
internal sealed record TemplatePart(string Text, bool Trained, bool IsResponse = false);
