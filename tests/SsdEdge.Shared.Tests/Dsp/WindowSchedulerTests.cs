using SsdEdge.Dsp;
using Xunit;

namespace SsdEdge.Tests.Dsp;

public class WindowSchedulerTests
{
    private readonly WindowScheduler _scheduler = new(550, 50);

    [Theory]
    [InlineData(0L, 550L)]
    [InlineData(549L, 550L)]
    [InlineData(550L, 600L)]
    [InlineData(599L, 600L)]
    [InlineData(600L, 650L)]
    public void NextWindowEnd_SampleCount_ReturnsNextEnd(long sampleCount, long expected)
    {
        Assert.Equal(expected, _scheduler.NextWindowEnd(sampleCount));
    }

    [Theory]
    [InlineData(549L, false)]
    [InlineData(550L, true)]
    [InlineData(575L, false)]
    [InlineData(600L, true)]
    public void IsWindowEnd_SampleCount_MatchesSchedule(long sampleCount, bool expected)
    {
        Assert.Equal(expected, _scheduler.IsWindowEnd(sampleCount));
    }

    [Theory]
    [InlineData(0L, 0L)]
    [InlineData(549L, 0L)]
    [InlineData(550L, 1L)]
    [InlineData(1000L, 10L)]
    public void WindowCount_SampleCount_CountsCompleteWindows(long sampleCount, long expected)
    {
        Assert.Equal(expected, _scheduler.WindowCount(sampleCount));
    }

    [Fact]
    public void WindowStarts_Recording_ListsStartsThatFit()
    {
        var starts = _scheduler.WindowStarts(1000);

        Assert.Equal([0L, 50, 100, 150, 200, 250, 300, 350, 400, 450], starts);
        Assert.Equal(_scheduler.EndOf(9), starts[^1] + 550);
    }

    [Fact]
    public void Constructor_NonPositiveHop_Throws()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new WindowScheduler(550, 0));
    }
}
