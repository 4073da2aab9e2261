using SsdEdge.Dsp;
using Xunit;

namespace SsdEdge.Tests.Dsp;

public class RingBufferTests
{
    [Fact]
    public void CopyLatest_AfterWrap_ReturnsNewestInOrder()
    {
        var ring = new RingBuffer(5);
        ring.Write([1, 2, 3, 4]);
        ring.Write([5, 6, 7]);

        Assert.Equal([3f, 4, 5, 6, 7], ring.CopyLatest(5));
        Assert.Equal([6f, 7], ring.CopyLatest(2));
        Assert.Equal(7, ring.TotalWritten);
    }

    [Fact]
    public void Write_BlockLongerThanCapacity_KeepsTail()
    {
        var ring = new RingBuffer(3);
        ring.Write(1);
        ring.Write([2, 3, 4, 5, 6]);

        Assert.Equal([4f, 5, 6], ring.CopyLatest(3));
        Assert.Equal(3, ring.Count);
    }

    [Fact]
    public void Write_SingleSamples_MatchesBlockWrite()
    {
        var single = new RingBuffer(4);
        var block = new RingBuffer(4);
        float[] samples = [1, 2, 3, 4, 5, 6, 7, 8, 9];

        foreach (var sample in samples)
        {
            single.Write(sample);
        }

        block.Write(samples);

        Assert.Equal(block.CopyLatest(4), single.CopyLatest(4));
    }

    [Fact]
    public void CopyLatest_MoreThanHeld_Throws()
    {
        var ring = new RingBuffer(5);
        ring.Write([1, 2]);

        Assert.Throws<ArgumentException>(() => ring.CopyLatest(3));
    }

    [Fact]
    public void Reset_AfterWrites_EmptiesRing()
    {
        var ring = new RingBuffer(5);
        ring.Write([1, 2, 3]);

        ring.Reset();

        Assert.Equal(0, ring.Count);
        Assert.Equal(0, ring.TotalWritten);
    }
}
