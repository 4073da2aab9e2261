using SsdEdge.EdgeAgent.Bench;
using Xunit;

namespace SsdEdge.EdgeAgent.Tests.Bench;

public sealed class LatencySummaryTests
{
    [Fact]
    public void From_OneToHundred_GivesInterpolatedPercentiles()
    {
        var samples = Enumerable.Range(1, 100).Select(i => (double)i).Reverse().ToList();

        var summary = LatencySummary.From(samples);

        Assert.Equal(100, summary.Count);
        Assert.Equal(50.5, summary.MeanMs, 9);
        Assert.Equal(50.5, summary.P50Ms, 9);
        Assert.Equal(90.1, summary.P90Ms, 9);
        Assert.Equal(99.01, summary.P99Ms, 9);
        Assert.Equal(100, summary.MaxMs);
    }

    [Fact]
    public void From_Empty_Throws()
    {
        Assert.Throws<ArgumentException>(() => LatencySummary.From([]));
    }
}
