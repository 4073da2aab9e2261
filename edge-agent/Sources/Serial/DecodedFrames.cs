namespace SsdEdge.EdgeAgent.Sources.Serial;

/// <summary>
/// Frames a decoder produced, each with the device's sample index, in arrival order. Consecutive
/// indexes form one <see cref="SampleBlock"/>; a jump or a repeat starts the next.
/// </summary>
/// <remarks>Not thread-safe: one decoder and its reader fill and drain it.</remarks>
public sealed class DecodedFrames
{
    private readonly List<long> _indexes = [];
    private float[] _values;

    /// <summary>Creates an empty buffer for frames of <paramref name="channelCount"/> samples.</summary>
    public DecodedFrames(int channelCount)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(channelCount);
        ChannelCount = channelCount;
        _values = new float[channelCount * 64];
    }

    /// <summary>Samples per frame.</summary>
    public int ChannelCount { get; }

    /// <summary>Frames held.</summary>
    public int Count => _indexes.Count;

    /// <summary>Device sample index of each frame held, in arrival order.</summary>
    public IReadOnlyList<long> SampleIndexes => _indexes;

    /// <summary>Returns the samples of frame <paramref name="frame"/> (0-based, in arrival order).</summary>
    public ReadOnlySpan<float> Frame(int frame)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(frame);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(frame, Count);
        return _values.AsSpan(frame * ChannelCount, ChannelCount);
    }

    /// <summary>Appends one frame.</summary>
    /// <exception cref="ArgumentException"><paramref name="frame"/> does not have
    /// <see cref="ChannelCount"/> samples.</exception>
    public void Add(long sampleIndex, ReadOnlySpan<float> frame)
    {
        if (frame.Length != ChannelCount)
        {
            throw new ArgumentException(
                $"A frame has {ChannelCount} samples; got {frame.Length}.", nameof(frame));
        }

        var offset = Count * ChannelCount;
        if (offset + ChannelCount > _values.Length)
        {
            Array.Resize(ref _values, _values.Length * 2);
        }

        frame.CopyTo(_values.AsSpan(offset));
        _indexes.Add(sampleIndex);
    }

    /// <summary>Appends one frame of NaN samples.</summary>
    public void AddNaN(long sampleIndex)
    {
        Span<float> frame = stackalloc float[ChannelCount];
        frame.Fill(float.NaN);
        Add(sampleIndex, frame);
    }

    /// <summary>
    /// Returns every frame held as blocks of consecutive sample indexes, then empties the buffer.
    /// </summary>
    /// <param name="device">Device the blocks belong to.</param>
    /// <param name="receivedTimestamp">Arrival time given to every block.</param>
    public IReadOnlyList<SampleBlock> TakeBlocks(DeviceDescriptor device, long receivedTimestamp)
    {
        ArgumentNullException.ThrowIfNull(device);
        if (device.ChannelCount != ChannelCount)
        {
            throw new ArgumentException(
                $"Device '{device.DeviceId}' has {device.ChannelCount} channels; these frames have {ChannelCount}.",
                nameof(device));
        }

        var blocks = new List<SampleBlock>();
        var start = 0;
        for (var i = 1; i <= Count; i++)
        {
            if (i < Count && _indexes[i] == _indexes[i - 1] + 1)
            {
                continue;
            }

            var samples = _values.AsSpan(start * ChannelCount, (i - start) * ChannelCount).ToArray();
            blocks.Add(new SampleBlock(device, _indexes[start], samples) { ReceivedTimestamp = receivedTimestamp });
            start = i;
        }

        Clear();
        return blocks;
    }

    /// <summary>Drops every frame held.</summary>
    public void Clear() => _indexes.Clear();
}
