using Infra.Torch.Runtime;
using TorchSharp;
using static TorchSharp.torch;

namespace Infra.Torch.Tests.Runtime;

public sealed class LibTorchLoadTests
{
    [Fact]
    public void Libtorch_loads_in_the_test_host_and_multiplies_correctly()
    {
        // This is the test that fails when libLibTorchSharp.so cannot be loaded (Debian 12's
        // libstdc++ without GLIBCXX_3.4.32 and the build's weakening step missing).
        var a = tensor(new float[] { 1, 2, 3, 4, 5, 6 }, [2, 3]);
        var b = tensor(new float[] { 7, 8, 9, 10, 11, 12 }, [3, 2]);
        var c = a.matmul(b).data<float>().ToArray();
        Assert.Equal(new float[] { 58, 64, 139, 154 }, c);
    }

    [Fact]
    public void Cpu_and_auto_resolve_on_a_machine_without_cuda_and_cuda_is_refused_clearly()
    {
        Assert.Equal(DeviceType.CPU, TorchDevices.Resolve(DeviceChoice.Cpu).type);
        if (cuda.is_available())
        {
            Assert.Equal(DeviceType.CUDA, TorchDevices.Resolve(DeviceChoice.Cuda).type);
            return;
        }
        Assert.Equal(DeviceType.CPU, TorchDevices.Resolve(DeviceChoice.Auto).type);
        var error = Assert.Throws<InvalidOperationException>(() => TorchDevices.Resolve(DeviceChoice.Cuda));
        Assert.Contains("CUDA is not available", error.Message, StringComparison.Ordinal);
        Assert.Contains("InfraTorchBackend=cuda", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("cpu", DeviceChoice.Cpu)]
    [InlineData("CUDA", DeviceChoice.Cuda)]
    [InlineData("auto", DeviceChoice.Auto)]
    public void Device_names_parse(string text, DeviceChoice expected) => Assert.Equal(expected, TorchDevices.Parse(text));

    [Fact]
    public void Unknown_device_and_cpu_fp16_are_refused()
    {
        Assert.Contains("cpu, cuda or auto", Assert.Throws<ArgumentException>(() => TorchDevices.Parse("tpu")).Message, StringComparison.Ordinal);
        Assert.Contains("float16 is not supported on the CPU",
            Assert.Throws<ArgumentException>(() => ComputeDType.Parse("fp16", CPU)).Message, StringComparison.Ordinal);
        Assert.Equal(ScalarType.BFloat16, ComputeDType.Parse("bf16", CPU));
    }
}
