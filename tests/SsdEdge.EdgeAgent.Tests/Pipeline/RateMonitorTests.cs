using System.Diagnostics;
using SsdEdge.EdgeAgent.Pipeline;
using Xunit;

namespace SsdEdge.EdgeAgent.Tests.Pipeline;

public sealed class RateMonitorTests
{
    private static readonly long TicksPerSecond = Stopwatch.Frequency;

    [Fact]
    public void Observe_NominalRate_NoMismatch()
    {
        var monitor = new RateMonitor(nominalRateHz: 100, intervalSeconds: 5, tolerance: 0.1);

        var changes = Feed(monitor, samplesPerBlock: 10, blocksPerSecond: 10, seconds: 20);

        Assert.DoesNotContain(RateChange.MismatchStarted, changes);
        Assert.False(monitor.InMismatch);
        Assert.Equal(100, monitor.MeasuredRateHz!.Value, 6);
    }

    [Fact]
    public void Observe_RateTwentyPercentLow_StartsOneEpisode()
    {
        var monitor = new RateMonitor(nominalRateHz: 100, intervalSeconds: 5, tolerance: 0.1);

        var changes = Feed(monitor, samplesPerBlock: 8, blocksPerSecond: 10, seconds: 30);

        Assert.Equal(1, changes.Count(change => change == RateChange.MismatchStarted));
        Assert.True(monitor.InMismatch);
        Assert.Equal(80, monitor.MeasuredRateHz!.Value, 6);
    }

    [Fact]
    public void Observe_ShorterThanInterval_JudgesNothing()
    {
        var monitor = new RateMonitor(nominalRateHz: 100, intervalSeconds: 10, tolerance: 0.1);

        var changes = Feed(monitor, samplesPerBlock: 50, blocksPerSecond: 10, seconds: 5);

        Assert.All(changes, change => Assert.Equal(RateChange.None, change));
        Assert.Null(monitor.MeasuredRateHz);
    }

    [Fact]
    public void Observe_RateRecovers_EndsEpisode()
    {
        var monitor = new RateMonitor(nominalRateHz: 100, intervalSeconds: 2, tolerance: 0.1);
        var changes = Feed(monitor, samplesPerBlock: 20, blocksPerSecond: 10, seconds: 5);
        var start = 5 * TicksPerSecond;

        for (var i = 1; i <= 100; i++)
        {
            changes.Add(monitor.Observe(10, start + (i * TicksPerSecond / 10)));
        }

        Assert.Equal(1, changes.Count(change => change == RateChange.MismatchStarted));
        Assert.Equal(1, changes.Count(change => change == RateChange.MismatchEnded));
        Assert.False(monitor.InMismatch);
    }

    private static List<RateChange> Feed(RateMonitor monitor, int samplesPerBlock, int blocksPerSecond, int seconds)
    {
        var changes = new List<RateChange>();
        for (var i = 0; i <= seconds * blocksPerSecond; i++)
        {
            changes.Add(monitor.Observe(samplesPerBlock, i * TicksPerSecond / blocksPerSecond));
        }

        return changes;
    }
}
