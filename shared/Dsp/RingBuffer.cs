namespace SsdEdge.Dsp;

/// <summary>
/// Fixed-capacity ring of float samples for one channel: once full, each new sample overwrites
/// the oldest.
/// </summary>
/// <remarks>Writes and copies never allocate. Not thread-safe.</remarks>
public sealed class RingBuffer
{
    private readonly float[] _buffer;

    // Index the next sample is written to.
    private int _head;

    /// <summary>Creates an empty ring that keeps the latest <paramref name="capacity"/> samples.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="capacity"/> is not positive.</exception>
    public RingBuffer(int capacity)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(capacity);
        _buffer = new float[capacity];
    }

    /// <summary>Maximum number of samples kept.</summary>
    public int Capacity => _buffer.Length;

    /// <summary>Number of samples available to copy (at most <see cref="Capacity"/>).</summary>
    public int Count { get; private set; }

    /// <summary>Samples written since creation or the last <see cref="Reset"/>.</summary>
    public long TotalWritten { get; private set; }

    /// <summary>Appends one sample.</summary>
    public void Write(float sample)
    {
        _buffer[_head] = sample;
        _head = _head + 1 == _buffer.Length ? 0 : _head + 1;
        Count = Math.Min(Count + 1, _buffer.Length);
        TotalWritten++;
    }

    /// <summary>Appends <paramref name="samples"/> in order; only the latest <see cref="Capacity"/> are kept.</summary>
    public void Write(ReadOnlySpan<float> samples)
    {
        var capacity = _buffer.Length;
        TotalWritten += samples.Length;
        if (samples.Length >= capacity)
        {
            samples[^capacity..].CopyTo(_buffer);
            _head = 0;
            Count = capacity;
            return;
        }

        var first = Math.Min(samples.Length, capacity - _head);
        samples[..first].CopyTo(_buffer.AsSpan(_head));
        samples[first..].CopyTo(_buffer);
        _head = (_head + samples.Length) % capacity;
        Count = Math.Min(Count + samples.Length, capacity);
    }

    /// <summary>Copies the latest <c>destination.Length</c> samples, oldest first.</summary>
    /// <exception cref="ArgumentException">The ring holds fewer samples than requested.</exception>
    public void CopyLatest(Span<float> destination)
    {
        if (destination.Length > Count)
        {
            throw new ArgumentException(
                $"Requested the latest {destination.Length} samples, but the ring holds {Count}.",
                nameof(destination));
        }

        var start = _head - destination.Length;
        if (start < 0)
        {
            start += _buffer.Length;
        }

        var first = Math.Min(destination.Length, _buffer.Length - start);
        _buffer.AsSpan(start, first).CopyTo(destination);
        _buffer.AsSpan(0, destination.Length - first).CopyTo(destination[first..]);
    }

    /// <summary>Returns a new array with the latest <paramref name="count"/> samples, oldest first.</summary>
    /// <exception cref="ArgumentException">The ring holds fewer samples than requested.</exception>
    public float[] CopyLatest(int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        var result = new float[count];
        CopyLatest(result);
        return result;
    }

    /// <summary>Forgets every sample and resets <see cref="TotalWritten"/> to 0.</summary>
    public void Reset()
    {
        _head = 0;
        Count = 0;
        TotalWritten = 0;
    }
}
