using System.Diagnostics;
using Microsoft.Extensions.Logging.Abstractions;
using SsdEdge.EdgeAgent.Sources;
using SsdEdge.EdgeAgent.Tests.Support;
using SsdEdge.Signals;
using Xunit;

namespace SsdEdge.EdgeAgent.Tests.Sources;

public sealed class ReplaySourceTests
{
    [Fact]
    public async Task ReadAsync_OtherChannelOrder_FollowsRequest()
    {
        var recording = Ramp("rec", 10, ["a", "b", "c"], length: 4);
        var source = Create([recording], ["c", "a"], speed: 0, blockSeconds: 10);

        var block = Assert.Single(await ReadAll(source));

        // Channel k of the ramp contains 100 * k + t, so c is 200 + t and a is t.
        Assert.Equal([200f, 0f, 201f, 1f, 202f, 2f, 203f, 3f], block.Frames.ToArray());
    }

    [Fact]
    public async Task ReadAsync_OtherNameCase_Matches()
    {
        var recording = Ramp("rec", 10, ["EDA"], length: 3);
        var source = Create([recording], ["eda"], speed: 0, blockSeconds: 10);

        var block = Assert.Single(await ReadAll(source));

        Assert.Equal([0f, 1f, 2f], block.Frames.ToArray());
    }

    [Fact]
    public async Task ReadAsync_BlockSeconds_SetsBlockLength()
    {
        var recording = Ramp("rec", 10, ["eda"], length: 10);
        var source = Create([recording], ["eda"], speed: 0, blockSeconds: 0.3);

        var blocks = await ReadAll(source);

        Assert.Equal([0L, 3L, 6L, 9L], blocks.Select(block => block.FirstSample));
        Assert.Equal([3, 3, 3, 1], blocks.Select(block => block.FrameCount));
        Assert.Equal(9f, blocks[^1].Frames.Span[0]);
    }

    [Fact]
    public async Task ReadAsync_TwoRecordings_GiveTwoDevices()
    {
        var first = Ramp("subject01", 10, ["eda"], length: 5);
        var second = Ramp("subject02", 20, ["eda"], length: 5);
        var source = Create([first, second], ["eda"], speed: 0, blockSeconds: 10);

        var blocks = await ReadAll(source);

        Assert.Equal(["subject01", "subject02"], blocks.Select(block => block.Device.DeviceId));
        Assert.Equal([10.0, 20.0], blocks.Select(block => block.Device.SamplingRateHz));
    }

    [Fact]
    public async Task ReadAsync_MissingChannel_ThrowsListingRecordingChannels()
    {
        var recording = Ramp("rec", 10, ["ECG", "RSP"], length: 5);
        var source = Create([recording], ["eda"], speed: 0, blockSeconds: 1);

        var error = await Assert.ThrowsAsync<InvalidDataException>(() => ReadAll(source));

        Assert.Contains("recording 'rec'", error.Message, StringComparison.Ordinal);
        Assert.Contains("needs channel 'eda'", error.Message, StringComparison.Ordinal);
        Assert.Contains("its channels are: ECG, RSP", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReadAsync_LaterRecordingBad_FailsFirst()
    {
        var good = Ramp("good", 10, ["eda"], length: 5);
        var bad = Ramp("bad", 10, ["ecg"], length: 5);
        var source = Create([good, bad], ["eda"], speed: 0, blockSeconds: 1);
        var received = 0;

        var error = await Assert.ThrowsAsync<InvalidDataException>(async () =>
        {
            await foreach (var block in source.ReadAsync(CancellationToken.None))
            {
                received++;
            }
        });

        Assert.Equal(0, received);
        Assert.Contains("recording 'bad'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReadAsync_NoRecordings_ThrowsNamingSource()
    {
        var source = Create([], ["eda"], speed: 0, blockSeconds: 1);

        var error = await Assert.ThrowsAsync<InvalidDataException>(() => ReadAll(source));

        Assert.Equal("Replay source 'test recordings' contains no recordings.", error.Message);
    }

    [Fact]
    public async Task ReadAsync_SpeedZero_NeverWaits()
    {
        var clock = new CountingTimeProvider();
        var recording = Ramp("rec", 100, ["eda"], length: 500);
        var source = Create([recording], ["eda"], speed: 0, blockSeconds: 0.1, clock);

        var blocks = await ReadAll(source);

        Assert.Equal(50, blocks.Count);
        Assert.Equal(0, clock.TimersCreated);
    }

    [Fact]
    public async Task ReadAsync_SpeedTen_TakesTenthOfDuration()
    {
        // 2 s of samples at 10x real time must take at least 0.2 s. The 5 ms margin covers
        // timer resolution, because the replay does not recheck the clock after each delay.
        var clock = new CountingTimeProvider();
        var recording = Ramp("rec", 50, ["eda"], length: 100);
        var source = Create([recording], ["eda"], speed: 10, blockSeconds: 0.1, clock);
        var start = Stopwatch.GetTimestamp();

        var blocks = await ReadAll(source);

        var elapsed = Stopwatch.GetElapsedTime(start);
        Assert.Equal(20, blocks.Count);
        Assert.True(elapsed >= TimeSpan.FromMilliseconds(195), $"replay took {elapsed.TotalMilliseconds} ms");
        Assert.True(clock.TimersCreated > 0);
    }

    [Fact]
    public async Task ReadAsync_CancelledWhileWaiting_StopsWithCancellation()
    {
        var recording = Ramp("rec", 10, ["eda"], length: 1000);
        var source = Create([recording], ["eda"], speed: 1, blockSeconds: 0.1);
        using var cancellation = new CancellationTokenSource();
        var received = 0;

        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () =>
        {
            await foreach (var block in source.ReadAsync(cancellation.Token))
            {
                received++;
                await cancellation.CancelAsync();
            }
        });

        Assert.Equal(1, received);
    }

    private static ReplaySource Create(
        IReadOnlyList<Recording> recordings,
        string[] channels,
        double speed,
        double blockSeconds,
        TimeProvider? clock = null)
    {
        return new ReplaySource(
            "test recordings",
            recordings,
            channels,
            new ReplayPacing(speed, blockSeconds),
            clock ?? TimeProvider.System,
            NullLogger<ReplaySource>.Instance);
    }

    private static async Task<List<SampleBlock>> ReadAll(ReplaySource source)
    {
        var blocks = new List<SampleBlock>();
        await foreach (var block in source.ReadAsync(TestContext.Current.CancellationToken))
        {
            blocks.Add(block);
        }

        return blocks;
    }

    /// <summary>A recording whose channel k contains 100 * k + t at sample t.</summary>
    private static Recording Ramp(string id, double rateHz, string[] channels, int length)
    {
        var specs = channels.Select(name => new ChannelSpec(name, ChannelKind.Other, "au", rateHz)).ToArray();
        var samples = channels
            .Select((_, k) => Enumerable.Range(0, length).Select(t => (100f * k) + t).ToArray())
            .ToArray();
        return new Recording(id, "subject", specs, samples);
    }
}
