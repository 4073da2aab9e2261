namespace SsdEdge.EdgeAgent.Sources.Serial;

/// <summary>
/// Turns a device's wrapping sample counter into a sample index that keeps growing across wraps.
/// </summary>
/// <remarks>
/// The first counter value is the first index. Each later value becomes the index congruent to it
/// (modulo the wrap value M) nearest to the expected next index, which is one past the last index,
/// moved on by the samples estimated lost during an outage (see <see cref="ExpectAfterOutage"/>).
/// So a forward jump of up to M/2 reads as a gap and anything else as a repeat of earlier samples:
/// with M = 16, losing 9 or more lines in a row cannot be told from a repeat. Without a wrap value
/// the counter is the index.
/// </remarks>
public sealed class SequenceUnwrapper
{
    private readonly long? _modulo;
    private long? _expected;

    /// <summary>Creates an unwrapper for a counter that wraps at <paramref name="modulo"/>, or never
    /// when it is null.</summary>
    public SequenceUnwrapper(long? modulo)
    {
        if (modulo is < 2)
        {
            throw new ArgumentOutOfRangeException(nameof(modulo), modulo, "A counter wraps at 2 or more.");
        }

        _modulo = modulo;
    }

    /// <summary>The counter's wrap value, or null when it never wraps.</summary>
    public long? Modulo => _modulo;

    /// <summary>Returns the index of the first of <paramref name="frameCount"/> consecutive frames
    /// whose first counter value is <paramref name="counter"/>.</summary>
    public long Unwrap(long counter, int frameCount = 1)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(frameCount);
        long index;
        if (_modulo is not { } modulo)
        {
            index = counter;
        }
        else if (_expected is not { } expected)
        {
            index = counter;
        }
        else
        {
            var ahead = ((counter - expected) % modulo + modulo) % modulo;
            index = ahead <= modulo / 2 ? expected + ahead : expected + ahead - modulo;
        }

        _expected = index + frameCount;
        return index;
    }

    /// <summary>Moves the expected next index on by <paramref name="estimatedMissingSamples"/>, the
    /// samples the device likely sent while its port was closed.</summary>
    public void ExpectAfterOutage(long estimatedMissingSamples)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(estimatedMissingSamples);
        if (_expected is { } expected)
        {
            _expected = expected + estimatedMissingSamples;
        }
    }
}
