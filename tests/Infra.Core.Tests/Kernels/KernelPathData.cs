using Infra.Core.Compression;
using Infra.Core.Kernels;

namespace Infra.Core.Tests.Kernels;

/// <summary>Every kernel path this machine can run (AVX-512, AVX2, scalar), crossed with every stored dtype.</summary>
internal static class KernelPathData
{
    public static IEnumerable<KernelPath> Supported =>
        new[] { KernelPath.Vector512, KernelPath.Vector256, KernelPath.Scalar }.Where(KernelPaths.IsSupported);

    // Theory arguments are path names: xunit's public test methods cannot take the internal enum.
    public static KernelPath Parse(string name) => Enum.Parse<KernelPath>(name);

    public static TheoryData<string> Paths()
    {
        var data = new TheoryData<string>();
        foreach (var path in Supported)
            data.Add(path.ToString());
        return data;
    }

    public static TheoryData<FactorDType, string> DTypesAndPaths()
    {
        var data = new TheoryData<FactorDType, string>();
        foreach (var dtype in new[] { FactorDType.Float32, FactorDType.BFloat16, FactorDType.Float16, FactorDType.Int8 })
            foreach (var path in Supported)
                data.Add(dtype, path.ToString());
        return data;
    }
}
