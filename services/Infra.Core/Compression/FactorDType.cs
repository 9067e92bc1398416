namespace Infra.Core.Compression;

/// <summary>Element type of factors on the wire and in the store.</summary>
public enum FactorDType
{
    /// <summary>IEEE fp32 (4 bytes).</summary>
    Float32,
    /// <summary>bfloat16, round-to-nearest-even from fp32 (2 bytes).</summary>
    BFloat16,
    /// <summary>IEEE fp16 (2 bytes); values beyond ±65504 saturate to infinity.</summary>
    Float16,
    /// <summary>Symmetric int8 with one fp32 scale per row: <c>value = q * scale</c>, <c>scale = max|row| / 127</c>.</summary>
    Int8,
}
