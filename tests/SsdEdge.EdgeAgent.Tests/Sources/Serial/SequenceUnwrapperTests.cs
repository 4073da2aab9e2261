using SsdEdge.EdgeAgent.Sources.Serial;
using Xunit;

namespace SsdEdge.EdgeAgent.Tests.Sources.Serial;

public sealed class SequenceUnwrapperTests
{
    [Fact]
    public void Unwrap_NoModulo_ReturnsCounter()
    {
        var unwrapper = new SequenceUnwrapper(null);

        Assert.Equal(7, unwrapper.Unwrap(7));
        Assert.Equal(3, unwrapper.Unwrap(3));
    }

    [Fact]
    public void Unwrap_ManyWraps_KeepsCounting()
    {
        var unwrapper = new SequenceUnwrapper(16);

        var indexes = Enumerable.Range(0, 100).Select(i => unwrapper.Unwrap(i % 16)).ToList();

        Assert.Equal(Enumerable.Range(0, 100).Select(i => (long)i), indexes);
    }

    [Fact]
    public void Unwrap_ForwardJumpUpToHalf_IsGap()
    {
        var unwrapper = new SequenceUnwrapper(16);
        unwrapper.Unwrap(0);

        Assert.Equal(9, unwrapper.Unwrap(9));
    }

    [Fact]
    public void Unwrap_JumpBeyondHalf_ReadAsRepeat()
    {
        var unwrapper = new SequenceUnwrapper(16);
        unwrapper.Unwrap(0);

        Assert.Equal(-6, unwrapper.Unwrap(10));
    }

    [Fact]
    public void Unwrap_FramesInPacket_AdvanceExpected()
    {
        var unwrapper = new SequenceUnwrapper(1L << 32);
        unwrapper.Unwrap(10, frameCount: 5);

        Assert.Equal(15, unwrapper.Unwrap(15));
    }

    [Fact]
    public void ExpectAfterOutage_ResolvesLongGap()
    {
        var unwrapper = new SequenceUnwrapper(16);
        unwrapper.Unwrap(5);

        unwrapper.ExpectAfterOutage(1000);

        Assert.Equal(1006 + 4, unwrapper.Unwrap(1010 % 16));
    }

    [Fact]
    public void Constructor_ModuloBelowTwo_Throws()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new SequenceUnwrapper(1));
    }
}
