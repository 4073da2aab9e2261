using SsdEdge.EdgeAgent.Deployment;
using Xunit;

namespace SsdEdge.EdgeAgent.Tests.Deployment;

public sealed class WatchdogLivenessTests
{
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(30);

    private static TimeSpan At(double seconds) => TimeSpan.FromSeconds(seconds);

    [Fact]
    public void LiveSource_SilentSensors_StaysLive()
    {
        var liveness = new WatchdogLiveness(Limit, sourceAlwaysReady: false);

        Assert.True(liveness.Observe(At(0), 100, 0, runEnded: false));
        Assert.True(liveness.Observe(At(3600), 100, 0, runEnded: false));
    }

    [Fact]
    public void LiveSource_BufferOverflowWithoutProgress_StallsAfterLimit()
    {
        var liveness = new WatchdogLiveness(Limit, sourceAlwaysReady: false);
        liveness.Observe(At(0), 100, 0, runEnded: false);

        Assert.True(liveness.Observe(At(15), 100, 5, runEnded: false));
        Assert.True(liveness.Observe(At(44), 100, 50, runEnded: false));
        Assert.False(liveness.Observe(At(45), 100, 60, runEnded: false));
        Assert.Equal(At(30), liveness.WaitingFor);
    }

    [Fact]
    public void LiveSource_ProgressAfterStall_LiveAgain()
    {
        var liveness = new WatchdogLiveness(Limit, sourceAlwaysReady: false);
        liveness.Observe(At(0), 100, 0, runEnded: false);
        liveness.Observe(At(1), 100, 1, runEnded: false);
        Assert.False(liveness.Observe(At(31), 100, 2, runEnded: false));

        Assert.True(liveness.Observe(At(32), 150, 2, runEnded: false));
        Assert.Equal(TimeSpan.Zero, liveness.WaitingFor);
    }

    [Fact]
    public void Replay_NoBlockAfterFirst_StallsAfterLimit()
    {
        var liveness = new WatchdogLiveness(Limit, sourceAlwaysReady: true);

        Assert.True(liveness.Observe(At(0), 0, 0, runEnded: false));
        Assert.True(liveness.Observe(At(100), 0, 0, runEnded: false));
        Assert.True(liveness.Observe(At(101), 512, 0, runEnded: false));
        Assert.True(liveness.Observe(At(130), 512, 0, runEnded: false));
        Assert.False(liveness.Observe(At(131), 512, 0, runEnded: false));
    }

    [Fact]
    public void Replay_RunEnded_StaysLive()
    {
        var liveness = new WatchdogLiveness(Limit, sourceAlwaysReady: true);
        liveness.Observe(At(0), 512, 0, runEnded: false);

        Assert.True(liveness.Observe(At(600), 512, 0, runEnded: true));
    }

    [Fact]
    public void Constructor_ZeroLimit_Throws()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new WatchdogLiveness(TimeSpan.Zero, sourceAlwaysReady: false));
    }
}
