using SsdEdge.EdgeAgent.Bench;
using Xunit;

namespace SsdEdge.EdgeAgent.Tests.Bench;

public sealed class MemorySectionTests
{
    [Theory]
    [InlineData(-1_086_464L)]
    [InlineData(0L)]
    [InlineData(500_000L)]
    public void PerDevice_BelowNoise_NotMeasurable(long growth)
    {
        var perDevice = MemorySection.PerDevice(100_000_000, 100_000_000 + growth, 16);
        var memory = new MemorySection(true, 0, 0, 0, 16, perDevice);

        Assert.Null(perDevice);
        Assert.Contains("not measurable", BenchTable.PerDeviceText(memory), StringComparison.Ordinal);
        Assert.DoesNotContain("-", BenchTable.PerDeviceText(memory), StringComparison.Ordinal);
    }

    [Fact]
    public void PerDevice_AboveNoise_DividesGrowth()
    {
        var perDevice = MemorySection.PerDevice(100_000_000, 100_000_000 + (16 * 256 * 1024), 16);

        Assert.Equal(256 * 1024, perDevice);
        Assert.Equal("about 256 KiB per device", BenchTable.PerDeviceText(new MemorySection(true, 0, 0, 0, 16, perDevice)));
    }
}
