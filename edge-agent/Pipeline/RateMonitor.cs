using System.Diagnostics;

namespace SsdEdge.EdgeAgent.Pipeline;

/// <summary>
/// Compares the samples a live device delivers with the wall-clock time they take to arrive, over
/// a sliding interval, and reports when the measured rate leaves the tolerance around the nominal
/// rate.
/// </summary>
/// <remarks>
/// An episode of mismatch starts when the measured rate differs from the nominal one by more than
/// the tolerance (a fraction: 0.1 is 10 %), and ends when it is back within half the tolerance, so
/// a rate near the limit does not report every block. Nothing is judged until the samples observed
/// span the whole interval. Arrival times are <see cref="Stopwatch.GetTimestamp"/> values, so the
/// monitor measures the transport and the device, never the pipeline. Not thread-safe.
/// </remarks>
public sealed class RateMonitor
{
    // Entries are kept at least this fraction of the interval apart, which bounds the queue to
    // about this many entries however small the blocks are.
    private const int EntriesPerInterval = 32;

    private readonly Queue<(long Timestamp, long Samples)> _history = new();
    private readonly long _intervalTicks;
    private readonly long _spacingTicks;
    private long _samples;
    private long _lastEntryTimestamp = long.MinValue;

    /// <summary>Creates a monitor for a device of <paramref name="nominalRateHz"/>.</summary>
    /// <param name="nominalRateHz">Rate the device declares, in Hz.</param>
    /// <param name="intervalSeconds">Sliding interval the rate is measured over, in seconds.</param>
    /// <param name="tolerance">Largest accepted relative difference, such as 0.1 for 10 %.</param>
    /// <exception cref="ArgumentOutOfRangeException">An argument is not positive and finite.</exception>
    public RateMonitor(double nominalRateHz, double intervalSeconds, double tolerance)
    {
        ThrowUnlessPositive(nominalRateHz, nameof(nominalRateHz));
        ThrowUnlessPositive(intervalSeconds, nameof(intervalSeconds));
        ThrowUnlessPositive(tolerance, nameof(tolerance));
        NominalRateHz = nominalRateHz;
        Tolerance = tolerance;
        _intervalTicks = (long)(intervalSeconds * Stopwatch.Frequency);
        _spacingTicks = Math.Max(1, _intervalTicks / EntriesPerInterval);
    }

    /// <summary>Rate the device declares, in Hz.</summary>
    public double NominalRateHz { get; }

    /// <summary>Largest accepted relative difference between measured and nominal rate.</summary>
    public double Tolerance { get; }

    /// <summary>Rate measured over the latest full interval, in Hz; null until one has passed.</summary>
    public double? MeasuredRateHz { get; private set; }

    /// <summary>Whether an episode of mismatch is going on.</summary>
    public bool InMismatch { get; private set; }

    /// <summary>Records <paramref name="samples"/> samples per channel that arrived at
    /// <paramref name="timestamp"/> and returns whether an episode started or ended with them.</summary>
    public RateChange Observe(long samples, long timestamp)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(samples);
        if (_history.Count == 0)
        {
            // The first block arrived over an unknown time, so counting starts after it.
            _history.Enqueue((timestamp, 0));
            _lastEntryTimestamp = timestamp;
            return RateChange.None;
        }

        _samples += samples;
        if (timestamp - _lastEntryTimestamp >= _spacingTicks)
        {
            _history.Enqueue((timestamp, _samples));
            _lastEntryTimestamp = timestamp;
        }

        // Keep the newest entry that is at least one interval old at the head.
        while (_history.Count > 1 && timestamp - PeekSecond().Timestamp >= _intervalTicks)
        {
            _history.Dequeue();
        }

        var (oldestTimestamp, oldestSamples) = _history.Peek();
        var elapsedTicks = timestamp - oldestTimestamp;
        if (elapsedTicks < _intervalTicks)
        {
            return RateChange.None;
        }

        var measured = (_samples - oldestSamples) * (double)Stopwatch.Frequency / elapsedTicks;
        MeasuredRateHz = measured;
        var deviation = Math.Abs((measured / NominalRateHz) - 1);
        if (!InMismatch && deviation > Tolerance)
        {
            InMismatch = true;
            return RateChange.MismatchStarted;
        }

        if (InMismatch && deviation <= Tolerance / 2)
        {
            InMismatch = false;
            return RateChange.MismatchEnded;
        }

        return RateChange.None;
    }

    /// <summary>Forgets every observation, for example after a gap, when the device's clock and
    /// the arrival times no longer line up. An episode going on stays open.</summary>
    public void Reset()
    {
        _history.Clear();
        _samples = 0;
        _lastEntryTimestamp = long.MinValue;
    }

    private (long Timestamp, long Samples) PeekSecond()
    {
        using var entries = _history.GetEnumerator();
        entries.MoveNext();
        entries.MoveNext();
        return entries.Current;
    }

    private static void ThrowUnlessPositive(double value, string name)
    {
        if (!double.IsFinite(value) || value <= 0)
        {
            throw new ArgumentOutOfRangeException(name, value, "The value must be positive and finite.");
        }
    }
}
