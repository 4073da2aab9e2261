using SsdEdge.Trainer.Reporting;
using Xunit;

namespace SsdEdge.Trainer.Tests.Reporting;

public sealed class MeanAndDeviationTests
{
    [Fact]
    public void Of_FourValues_SampleDeviation()
    {
        // Mean 5; squared deviations 9 + 1 + 1 + 9 = 20; sample variance 20 / 3.
        var statistics = MeanAndDeviation.Of([2.0, 4.0, 6.0, 8.0]);

        Assert.Equal(5.0, statistics.Mean, 1e-12);
        Assert.NotNull(statistics.StandardDeviation);
        Assert.Equal(Math.Sqrt(20.0 / 3), statistics.StandardDeviation.Value, 1e-12);
        Assert.Equal(4, statistics.Count);
    }

    [Fact]
    public void Of_SingleValue_NoDeviation()
    {
        var statistics = MeanAndDeviation.Of([0.75]);

        Assert.Equal(0.75, statistics.Mean, 1e-12);
        Assert.Null(statistics.StandardDeviation);
    }

    [Fact]
    public void Of_NoValues_Throws()
    {
        Assert.Throws<ArgumentException>(() => MeanAndDeviation.Of([]));
    }

    [Fact]
    public void Of_NaNValue_ThrowsNamingIndex()
    {
        var error = Assert.Throws<ArgumentException>(() => MeanAndDeviation.Of([0.5, double.NaN]));

        Assert.Contains("Value 1 is NaN", error.Message, StringComparison.Ordinal);
    }
}
