using SsdEdge.Dsp;
using Xunit;

namespace SsdEdge.Tests.Dsp;

public class MultiChannelRingBufferTests
{
    [Fact]
    public void CopyLatestChannelMajor_AfterWrap_DeinterleavesNewestFrames()
    {
        var rings = new MultiChannelRingBuffer(2, 3);
        rings.WriteInterleaved([1, 10, 2, 20]);
        rings.WriteInterleaved([3, 30, 4, 40, 5, 50]);
        var destination = new float[6];

        rings.CopyLatestChannelMajor(destination);

        Assert.Equal([3f, 4, 5, 30, 40, 50], destination);
        Assert.Equal(5, rings.TotalFrames);
    }

    [Fact]
    public void CopyLatest_OneChannel_ReturnsThatChannel()
    {
        var rings = new MultiChannelRingBuffer(3, 4);
        rings.WriteInterleaved([1, 2, 3, 4, 5, 6]);
        var destination = new float[2];

        rings.CopyLatest(1, destination);

        Assert.Equal([2f, 5], destination);
    }

    [Fact]
    public void WriteInterleaved_BlockLongerThanCapacity_KeepsTail()
    {
        var rings = new MultiChannelRingBuffer(2, 2);
        rings.WriteInterleaved([1, 10, 2, 20, 3, 30, 4, 40, 5, 50]);
        var destination = new float[4];

        rings.CopyLatestChannelMajor(destination);

        Assert.Equal([4f, 5, 40, 50], destination);
    }

    [Fact]
    public void WriteInterleaved_PartialFrame_Throws()
    {
        var rings = new MultiChannelRingBuffer(3, 4);

        var error = Assert.Throws<ArgumentException>(() => rings.WriteInterleaved(new float[4]));

        Assert.Contains("3 channels", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void CopyLatest_MoreThanHeld_Throws()
    {
        var rings = new MultiChannelRingBuffer(2, 4);
        rings.WriteInterleaved([1, 2]);

        Assert.Throws<ArgumentException>(() => rings.CopyLatest(0, new float[2]));
    }

    [Fact]
    public void Reset_AfterWrites_EmptiesRings()
    {
        var rings = new MultiChannelRingBuffer(2, 4);
        rings.WriteInterleaved([1, 2, 3, 4]);

        rings.Reset();

        Assert.Equal(0, rings.Count);
        Assert.Equal(0, rings.TotalFrames);
    }
}
