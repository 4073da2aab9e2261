namespace SsdEdge.Dsp;

/// <summary>
/// Positions of fixed-length windows over a sample stream: window <c>k</c> covers samples
/// <c>[k * HopSamples, k * HopSamples + WindowSamples)</c>, so it ends (exclusive) at
/// <c>WindowSamples + k * HopSamples</c>.
/// </summary>
/// <remarks>Immutable and thread-safe.</remarks>
public sealed class WindowScheduler
{
    /// <summary>Creates a schedule of windows of <paramref name="windowSamples"/> every
    /// <paramref name="hopSamples"/> samples.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A length is not positive.</exception>
    public WindowScheduler(int windowSamples, int hopSamples)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(windowSamples);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(hopSamples);
        WindowSamples = windowSamples;
        HopSamples = hopSamples;
    }

    /// <summary>Window length, in samples.</summary>
    public int WindowSamples { get; }

    /// <summary>Distance between the starts of consecutive windows, in samples.</summary>
    public int HopSamples { get; }

    /// <summary>Returns the first sample index of window <paramref name="windowIndex"/>.</summary>
    public long StartOf(long windowIndex)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(windowIndex);
        return windowIndex * HopSamples;
    }

    /// <summary>Returns the index one past the last sample of window <paramref name="windowIndex"/>.</summary>
    public long EndOf(long windowIndex) => StartOf(windowIndex) + WindowSamples;

    /// <summary>Whether a window is complete exactly when <paramref name="sampleCount"/> samples
    /// have arrived.</summary>
    public bool IsWindowEnd(long sampleCount) =>
        sampleCount >= WindowSamples && (sampleCount - WindowSamples) % HopSamples == 0;

    /// <summary>Returns the smallest window end greater than <paramref name="sampleCount"/>.</summary>
    public long NextWindowEnd(long sampleCount)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(sampleCount);
        if (sampleCount < WindowSamples)
        {
            return WindowSamples;
        }

        var completed = ((sampleCount - WindowSamples) / HopSamples) + 1;
        return WindowSamples + (completed * HopSamples);
    }

    /// <summary>Returns how many windows are complete once <paramref name="sampleCount"/> samples
    /// have arrived.</summary>
    public long WindowCount(long sampleCount)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(sampleCount);
        return sampleCount < WindowSamples ? 0 : ((sampleCount - WindowSamples) / HopSamples) + 1;
    }

    /// <summary>Returns the start index of every complete window in <paramref name="totalSamples"/>
    /// samples, in order.</summary>
    public long[] WindowStarts(long totalSamples)
    {
        var starts = new long[WindowCount(totalSamples)];
        for (var k = 0; k < starts.Length; k++)
        {
            starts[k] = (long)k * HopSamples;
        }

        return starts;
    }
}
