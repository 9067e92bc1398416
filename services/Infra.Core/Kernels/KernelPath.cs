namespace Infra.Core.Kernels;

/// <summary>Which instruction set a kernel runs on; tests force each one in turn.</summary>
internal enum KernelPath
{
    /// <summary>The widest path this machine accelerates.</summary>
    Auto,
    /// <summary>AVX-512 (F + BW): 16 fp32 lanes.</summary>
    Vector512,
    /// <summary>AVX2 + FMA: 8 fp32 lanes.</summary>
    Vector256,
    /// <summary>Plain scalar code, any CPU.</summary>
    Scalar,
}
