namespace Infra.Core.Kernels;

/// <summary>How int8 rows are scored against a single query (M = 1); more queries always decode rows to fp32.</summary>
public enum Int8ScoreMode
{
    /// <summary>
    /// The default: the query is quantised once to int16 with one scale and dotted in integers (int16 pairs,
    /// int32 sums flushed to fp32 every 4,096 elements so they cannot overflow). Extra error per score is at most
    /// <c>0.5 * queryScale * rowScale * sum|q8|</c>, where <c>queryScale = max|query| / 32767</c>.
    /// </summary>
    Int16Query,
    /// <summary>Rows are widened to fp32 and dotted with the fp32 query (slower, fp32 rounding only).</summary>
    Float32,
}
