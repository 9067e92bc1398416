using Infra.Core.Metadata;

namespace Infra.Core.Store;

/// <summary>
/// One example arriving at the store: metadata, tokens, and per tracked layer its projected gradient
/// <c>Ĝ</c> (<c>k_out x k_in</c>, row-major) and, when the store keeps them, its per-token factors
/// <c>â</c> (<c>T x k_in</c>) and <c>ĝ</c> (<c>T x k_out</c>). Values are fp32 here; the store quantises.
/// </summary>
public sealed record StoreExample
{
    public required string Id { get; init; }
    public string Domain { get; init; } = "";
    public int Difficulty { get; init; }
    public required int[] TokenIds { get; init; }
    public required byte[] LossMask { get; init; }
    public float[] TokenLosses { get; init; } = [];
    public float Loss { get; init; }
    /// <summary>
    /// The corpus's other columns (source, language, rating, ...), by name (ordinal). Defaults to empty. The names
    /// in <see cref="MetadataColumns.Reserved"/> are the store's own fields and are not allowed here.
    /// </summary>
    public IReadOnlyDictionary<string, MetadataValue> Metadata { get; init; } = MetadataColumns.None;
    /// <summary>The text the tokens were cut from (the rendered chat), and each token's UTF-16 span in it.</summary>
    public string Text { get; init; } = "";
    public int[] CharStarts { get; init; } = [];
    public int[] CharLengths { get; init; } = [];
    /// <summary>Per layer <c>Ĝ</c>.</summary>
    public required IReadOnlyList<float[]> ExampleGradients { get; init; }
    /// <summary>Per layer <c>â_t</c> rows, or null.</summary>
    public IReadOnlyList<float[]>? TokenInputs { get; init; }
    /// <summary>Per layer <c>ĝ_t</c> rows, or null.</summary>
    public IReadOnlyList<float[]>? TokenOutputGradients { get; init; }
}
