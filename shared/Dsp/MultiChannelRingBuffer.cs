namespace SsdEdge.Dsp;

/// <summary>
/// Fixed-capacity rings for <see cref="ChannelCount"/> channels that advance together, fed with
/// frames interleaved by sample (t0c0, t0c1, ..., t1c0, ...).
/// </summary>
/// <remarks>
/// Storage is channel-major: channel <c>c</c> owns <c>[c * Capacity, (c + 1) * Capacity)</c> of one
/// array, and all channels share one write position. Writes and copies never allocate.
/// Not thread-safe.
/// </remarks>
public sealed class MultiChannelRingBuffer
{
    private readonly float[] _buffer;

    // Index within each channel's ring that the next frame is written to.
    private int _head;

    /// <summary>Creates empty rings that keep the latest <paramref name="capacity"/> frames.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A count is not positive.</exception>
    public MultiChannelRingBuffer(int channelCount, int capacity)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(channelCount);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(capacity);
        ChannelCount = channelCount;
        Capacity = capacity;
        _buffer = new float[checked(channelCount * capacity)];
    }

    /// <summary>Number of channels in each frame.</summary>
    public int ChannelCount { get; }

    /// <summary>Maximum number of frames (samples per channel) kept.</summary>
    public int Capacity { get; }

    /// <summary>Frames available to copy (at most <see cref="Capacity"/>).</summary>
    public int Count { get; private set; }

    /// <summary>Frames written since creation or the last <see cref="Reset"/>.</summary>
    public long TotalFrames { get; private set; }

    /// <summary>Appends whole frames interleaved by sample.</summary>
    /// <exception cref="ArgumentException">The length is not a multiple of <see cref="ChannelCount"/>.</exception>
    public void WriteInterleaved(ReadOnlySpan<float> frames)
    {
        if (frames.Length % ChannelCount != 0)
        {
            throw new ArgumentException(
                $"Interleaved frames hold {frames.Length} values, which is not a multiple of "
                + $"the {ChannelCount} channels.",
                nameof(frames));
        }

        var frameCount = frames.Length / ChannelCount;
        TotalFrames += frameCount;

        // Frames older than the capacity would be overwritten within this call anyway.
        var skipped = Math.Max(0, frameCount - Capacity);
        for (var t = skipped; t < frameCount; t++)
        {
            var frame = frames.Slice(t * ChannelCount, ChannelCount);
            for (var c = 0; c < ChannelCount; c++)
            {
                _buffer[(c * Capacity) + _head] = frame[c];
            }

            _head = _head + 1 == Capacity ? 0 : _head + 1;
        }

        Count = (int)Math.Min((long)Count + frameCount, Capacity);
    }

    /// <summary>Copies the latest <c>destination.Length</c> samples of one channel, oldest first.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="channel"/> is out of range.</exception>
    /// <exception cref="ArgumentException">Fewer frames are held than requested.</exception>
    public void CopyLatest(int channel, Span<float> destination)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(channel);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(channel, ChannelCount);
        if (destination.Length > Count)
        {
            throw new ArgumentException(
                $"Requested the latest {destination.Length} frames, but the rings hold {Count}.",
                nameof(destination));
        }

        var ring = _buffer.AsSpan(channel * Capacity, Capacity);
        var start = _head - destination.Length;
        if (start < 0)
        {
            start += Capacity;
        }

        var first = Math.Min(destination.Length, Capacity - start);
        ring.Slice(start, first).CopyTo(destination);
        ring[..(destination.Length - first)].CopyTo(destination[first..]);
    }

    /// <summary>
    /// Copies the latest <c>destination.Length / ChannelCount</c> frames channel-major: channel
    /// <c>c</c> fills <c>destination[c * n .. (c + 1) * n]</c>, oldest sample first.
    /// </summary>
    /// <exception cref="ArgumentException">The length is not a multiple of <see cref="ChannelCount"/>,
    /// or fewer frames are held than requested.</exception>
    public void CopyLatestChannelMajor(Span<float> destination)
    {
        if (destination.Length % ChannelCount != 0)
        {
            throw new ArgumentException(
                $"Destination holds {destination.Length} values, which is not a multiple of "
                + $"the {ChannelCount} channels.",
                nameof(destination));
        }

        var samplesPerChannel = destination.Length / ChannelCount;
        for (var c = 0; c < ChannelCount; c++)
        {
            CopyLatest(c, destination.Slice(c * samplesPerChannel, samplesPerChannel));
        }
    }

    /// <summary>Forgets every frame and resets <see cref="TotalFrames"/> to 0.</summary>
    public void Reset()
    {
        _head = 0;
        Count = 0;
        TotalFrames = 0;
    }
}
