using SsdEdge.EdgeAgent.Pipeline;
using SsdEdge.Preprocessing;
using Xunit;

namespace SsdEdge.EdgeAgent.Tests.Pipeline;

public sealed class RunStatisticsTests
{
    [Fact]
    public void Percentile_OddCount_MedianIsMiddleValue()
    {
        Assert.Equal(3.0, RunStatistics.Percentile([1.0, 3.0, 10.0], 50));
    }

    [Fact]
    public void Percentile_Interpolates_LikeNumPyLinear()
    {
        // numpy.percentile([1, 2, 3, 4], 99) = 3.97: rank 0.99 * 3 = 2.97 between 3 and 4.
        Assert.Equal(3.97, RunStatistics.Percentile([1.0, 2.0, 3.0, 4.0], 99), 12);
    }

    [Fact]
    public void Percentile_SingleValue_ReturnsIt()
    {
        Assert.Equal(7.5, RunStatistics.Percentile([7.5], 99));
    }

    [Fact]
    public void Percentile_Empty_Throws()
    {
        Assert.Throws<ArgumentException>(() => RunStatistics.Percentile([], 50));
    }

    [Fact]
    public void ToSummary_MixedWindows_CountsEachCause()
    {
        var statistics = new RunStatistics();
        statistics.AddSamples("a", 100);
        statistics.AddSamples("b", 50);
        statistics.AddWindow(Scored(positive: true, latencyMs: 2));
        statistics.AddWindow(Scored(positive: false, latencyMs: 4));
        statistics.AddWindow(Rejected(QualityIssues.FlatLine | QualityIssues.LowVariance));
        statistics.AddWindow(Rejected(QualityIssues.FlatLine));
        statistics.AddWindow(NonFinite(latencyMs: 6));
        statistics.AddDiscontinuity();

        var summary = statistics.ToSummary();

        Assert.Equal(2, summary.Devices);
        Assert.Equal(150, summary.SamplesIn);
        Assert.Equal(2, summary.WindowsScored);
        Assert.Equal(1, summary.WindowsPositive);
        Assert.Equal(3, summary.WindowsSkipped);
        Assert.Equal(1, summary.Discontinuities);
        Assert.Equal(2, summary.SkippedByCause["FlatLine"]);
        Assert.Equal(1, summary.SkippedByCause["LowVariance"]);
        Assert.Equal(1, summary.SkippedByCause["NonFiniteOutput"]);
        Assert.False(summary.SkippedByCause.ContainsKey("Clipping"));
        Assert.Equal(4.0, summary.MedianLatencyMs);
    }

    [Fact]
    public void ToSummary_NothingScored_HasNoLatency()
    {
        var statistics = new RunStatistics();
        statistics.AddWindow(Rejected(QualityIssues.NonFinite));

        var summary = statistics.ToSummary();

        Assert.Null(summary.MedianLatencyMs);
        Assert.Null(summary.P99LatencyMs);
    }

    private static WindowResult Scored(bool positive, double latencyMs) => new(
        "a", 100, 1.0, WindowOutcome.Scored, default, null, [0.5f, 0.5f], positive, latencyMs);

    private static WindowResult Rejected(QualityIssues issues) => new(
        "a",
        100,
        1.0,
        WindowOutcome.RejectedByQualityGate,
        new QualityReport(issues, 0, 0, 0),
        "eda",
        [],
        null,
        null);

    private static WindowResult NonFinite(double latencyMs) => new(
        "a", 100, 1.0, WindowOutcome.NonFiniteOutput, default, null, [], null, latencyMs);
}
