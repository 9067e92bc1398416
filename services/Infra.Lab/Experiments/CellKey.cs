namespace Infra.Lab.Experiments;

/// <summary>A domain x difficulty cell of the corpus: domain "math" or "code", difficulty 1-5.</summary>
public readonly record struct CellKey(string Domain, int Difficulty)
{
    /// <inheritdoc/>
    public override string ToString() => $"{Domain}-{Difficulty.ToString(System.Globalization.CultureInfo.InvariantCulture)}";
}
