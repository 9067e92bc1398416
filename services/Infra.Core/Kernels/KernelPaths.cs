using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Infra.Core.Kernels;

/// <summary>Resolves <see cref="KernelPath.Auto"/> and refuses a forced path the CPU cannot run.</summary>
internal static class KernelPaths
{
    /// <summary>True when <paramref name="path"/> can run here.</summary>
    public static bool IsSupported(KernelPath path) => path switch
    {
        // The vector paths decode with x86 widening loads (vpmovzxwd, vpmovsxbd, vpmaddwd), so they need
        // the x86 ISAs themselves, not only accelerated cross-platform vectors.
        KernelPath.Vector512 => Vector512.IsHardwareAccelerated && Avx512F.IsSupported && Avx512BW.IsSupported,
        KernelPath.Vector256 => Vector256.IsHardwareAccelerated && Avx2.IsSupported && Fma.IsSupported,
        _ => true,
    };

    /// <summary>The path to run: the widest supported one for <see cref="KernelPath.Auto"/>.</summary>
    /// <exception cref="PlatformNotSupportedException">A forced path this CPU lacks.</exception>
    public static KernelPath Resolve(KernelPath path)
    {
        if (path == KernelPath.Auto)
            return IsSupported(KernelPath.Vector512) ? KernelPath.Vector512
                : IsSupported(KernelPath.Vector256) ? KernelPath.Vector256
                : KernelPath.Scalar;
        return IsSupported(path) ? path : throw new PlatformNotSupportedException($"{path} kernels need instructions this CPU lacks");
    }
}
