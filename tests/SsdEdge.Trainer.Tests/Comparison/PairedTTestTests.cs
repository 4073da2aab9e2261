using SsdEdge.Trainer.Comparison;
using Xunit;

namespace SsdEdge.Trainer.Tests.Comparison;

public sealed class PairedTTestTests
{
    [Fact]
    public void Of_OneToFive_MatchesClosedForm()
    {
        // mean 3, SD sqrt(2.5), t = 3 / (sqrt(2.5) / sqrt(5)) = 4.2426; df 4 gives p = 0.013236.
        var test = PairedTTest.Of([1, 2, 3, 4, 5]);

        Assert.Equal(5, test.Count);
        Assert.Equal(3.0, test.MeanDifference, 12);
        Assert.Equal(Math.Sqrt(2.5), test.StandardDeviation, 12);
        Assert.Equal(3 * Math.Sqrt(2), test.T, 10);
        Assert.Equal(0.013236, test.PValue, 5);
    }

    [Theory]
    [InlineData(0.0, 10, 1.0)]
    [InlineData(2.0, 10, 0.073388)]
    [InlineData(-2.0, 10, 0.073388)]
    [InlineData(2.262157, 9, 0.05)]
    [InlineData(12.706205, 1, 0.05)]
    public void TwoSidedPValue_KnownQuantiles_MatchTables(double t, int degreesOfFreedom, double expected)
    {
        Assert.Equal(expected, PairedTTest.TwoSidedPValue(t, degreesOfFreedom), 5);
    }

    [Fact]
    public void Of_EqualDifferences_HasNoTest()
    {
        var test = PairedTTest.Of([0.1, 0.1, 0.1]);

        Assert.Equal(0.1, test.MeanDifference, 12);
        Assert.True(double.IsNaN(test.T));
        Assert.True(double.IsNaN(test.PValue));
    }

    [Fact]
    public void Of_OnePair_HasNoTest()
    {
        var test = PairedTTest.Of([0.2]);

        Assert.Equal(1, test.Count);
        Assert.True(double.IsNaN(test.PValue));
    }
}
