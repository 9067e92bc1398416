namespace Infra.Core.Compression;

/// <summary>A row-major <c>rows x cols</c> block of factors in a <see cref="FactorDType"/>.</summary>
/// <param name="Rows">Row count.</param>
/// <param name="Cols">Column count.</param>
/// <param name="DType">Element type of <paramref name="Data"/>.</param>
/// <param name="Data">Little-endian elements, row-major.</param>
/// <param name="RowScales">One scale per row for <see cref="FactorDType.Int8"/>; empty otherwise.</param>
public sealed record QuantizedBlock(int Rows, int Cols, FactorDType DType, byte[] Data, float[] RowScales);
