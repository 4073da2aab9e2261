using System.Collections.Concurrent;

namespace SsdEdge.EdgeAgent.Sources;

/// <summary>
/// Counts, per device and cause, the input the sources dropped, and the gaps in each device's
/// sample counter. Sources, pipelines, the summary and the metrics share one instance.
/// </summary>
/// <remarks>Thread-safe: sources count from their reader threads while metrics read.</remarks>
public sealed class IngestCounters
{
    private readonly ConcurrentDictionary<(string Device, IngestRejection Cause), StrongBox> _rejected = new();
    private readonly ConcurrentDictionary<string, StrongBox> _gaps = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, StrongBox> _missingSamples = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, StrongBox> _windowsLostToGaps = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, StrongBox> _received = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, StrongBox> _lastReceivedTimestamp = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, StrongBox> _rateMismatches = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, double> _rateMismatchActive = new(StringComparer.Ordinal);

    /// <summary>Adds <paramref name="frameCount"/> samples per channel that reached a device's
    /// pipeline, received at <paramref name="receivedTimestamp"/>
    /// (<see cref="System.Diagnostics.Stopwatch.GetTimestamp"/>).</summary>
    public void AddReceived(string deviceId, long frameCount, long receivedTimestamp)
    {
        ArgumentNullException.ThrowIfNull(deviceId);
        ArgumentOutOfRangeException.ThrowIfNegative(frameCount);
        Interlocked.Add(ref _received.GetOrAdd(deviceId, _ => new StrongBox()).Value, frameCount);
        Interlocked.Exchange(
            ref _lastReceivedTimestamp.GetOrAdd(deviceId, _ => new StrongBox()).Value, receivedTimestamp);
    }

    /// <summary>Samples per channel that reached one device's pipeline so far.</summary>
    public long Received(string deviceId) =>
        _received.TryGetValue(deviceId, out var box) ? Interlocked.Read(ref box.Value) : 0;

    /// <summary><see cref="System.Diagnostics.Stopwatch.GetTimestamp"/> of one device's latest
    /// block, or null before its first.</summary>
    public long? LastReceivedTimestamp(string deviceId) =>
        _lastReceivedTimestamp.TryGetValue(deviceId, out var box) ? Interlocked.Read(ref box.Value) : null;

    /// <summary>Devices that delivered at least one block, in ordinal order.</summary>
    public IReadOnlyList<string> Devices() => _received.Keys.Order(StringComparer.Ordinal).ToList();

    /// <summary>Adds <paramref name="count"/> rejections of <paramref name="cause"/> for a device.</summary>
    /// <param name="deviceId">Device the input came from, or the source's name when the device is
    /// unknown.</param>
    /// <param name="cause">Why the input was dropped.</param>
    /// <param name="count">Items dropped: lines, frames, messages or samples, as the cause says.</param>
    public void AddRejected(string deviceId, IngestRejection cause, long count = 1)
    {
        ArgumentNullException.ThrowIfNull(deviceId);
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        Interlocked.Add(ref _rejected.GetOrAdd((deviceId, cause), _ => new StrongBox()).Value, count);
    }

    /// <summary>Records a jump in a device's sample counter past <paramref name="missingSamples"/>
    /// samples that never arrived, which cost <paramref name="windowsLost"/> windows that a
    /// continuous stream would have ended.</summary>
    public void AddGap(string deviceId, long missingSamples, long windowsLost = 0)
    {
        ArgumentNullException.ThrowIfNull(deviceId);
        ArgumentOutOfRangeException.ThrowIfNegative(missingSamples);
        ArgumentOutOfRangeException.ThrowIfNegative(windowsLost);
        Interlocked.Add(ref _missingSamples.GetOrAdd(deviceId, _ => new StrongBox()).Value, missingSamples);
        Interlocked.Add(ref _windowsLostToGaps.GetOrAdd(deviceId, _ => new StrongBox()).Value, windowsLost);

        // Counted last: a device in the gap snapshot has its other two counters.
        Interlocked.Increment(ref _gaps.GetOrAdd(deviceId, _ => new StrongBox()).Value);
    }

    /// <summary>Rejections of <paramref name="cause"/> for one device so far.</summary>
    public long Rejected(string deviceId, IngestRejection cause) =>
        _rejected.TryGetValue((deviceId, cause), out var box) ? Interlocked.Read(ref box.Value) : 0;

    /// <summary>Rejections of <paramref name="cause"/> over all devices so far.</summary>
    public long Rejected(IngestRejection cause) =>
        _rejected.Where(pair => pair.Key.Cause == cause).Sum(pair => Interlocked.Read(ref pair.Value.Value));

    /// <summary>Gaps in one device's sample counter so far.</summary>
    public long Gaps(string deviceId) =>
        _gaps.TryGetValue(deviceId, out var box) ? Interlocked.Read(ref box.Value) : 0;

    /// <summary>Samples one device skipped over in its gaps so far.</summary>
    public long MissingSamples(string deviceId) =>
        _missingSamples.TryGetValue(deviceId, out var box) ? Interlocked.Read(ref box.Value) : 0;

    /// <summary>Windows one device lost to gaps so far.</summary>
    public long WindowsLostToGaps(string deviceId) =>
        _windowsLostToGaps.TryGetValue(deviceId, out var box) ? Interlocked.Read(ref box.Value) : 0;

    /// <summary>Every non-zero rejection count, by device and cause, for metrics and summaries.</summary>
    public IReadOnlyList<(string DeviceId, IngestRejection Cause, long Count)> RejectedSnapshot() =>
        _rejected
            .Select(pair => (pair.Key.Device, pair.Key.Cause, Interlocked.Read(ref pair.Value.Value)))
            .Where(entry => entry.Item3 > 0)
            .OrderBy(entry => entry.Device, StringComparer.Ordinal)
            .ThenBy(entry => entry.Cause)
            .ToList();

    /// <summary>Gap counts, missing samples and windows lost per device, for metrics and summaries.</summary>
    public IReadOnlyList<(string DeviceId, long Gaps, long MissingSamples, long WindowsLost)> GapSnapshot() =>
        _gaps.Keys
            .Order(StringComparer.Ordinal)
            .Select(device => (device, Gaps(device), MissingSamples(device), WindowsLostToGaps(device)))
            .ToList();

    /// <summary>Records the start of an episode in which a device's measured sample rate differs
    /// from its nominal rate; <paramref name="measuredRateHz"/> is the rate measured then.</summary>
    public void AddRateMismatch(string deviceId, double measuredRateHz)
    {
        ArgumentNullException.ThrowIfNull(deviceId);
        Interlocked.Increment(ref _rateMismatches.GetOrAdd(deviceId, _ => new StrongBox()).Value);
        _rateMismatchActive[deviceId] = measuredRateHz;
    }

    /// <summary>Records the end of a device's episode of rate mismatch.</summary>
    public void EndRateMismatch(string deviceId)
    {
        ArgumentNullException.ThrowIfNull(deviceId);
        _rateMismatchActive.TryRemove(deviceId, out _);
    }

    /// <summary>Episodes of rate mismatch one device has had so far.</summary>
    public long RateMismatches(string deviceId) =>
        _rateMismatches.TryGetValue(deviceId, out var box) ? Interlocked.Read(ref box.Value) : 0;

    /// <summary>The measured rate, in Hz, of a device whose rate mismatch is going on, or null.</summary>
    public double? ActiveRateMismatch(string deviceId) =>
        _rateMismatchActive.TryGetValue(deviceId, out var rate) ? rate : null;

    /// <summary>Rate-mismatch episodes per device and whether one is going on, for metrics.</summary>
    public IReadOnlyList<(string DeviceId, long Episodes, bool Active)> RateMismatchSnapshot() =>
        _rateMismatches.Keys
            .Order(StringComparer.Ordinal)
            .Select(device => (device, RateMismatches(device), _rateMismatchActive.ContainsKey(device)))
            .ToList();

    private sealed class StrongBox
    {
        public long Value;
    }
}
