using SsdEdge.Preprocessing;

namespace SsdEdge.EdgeAgent.Pipeline;

/// <summary>Counts samples, windows, stream continuity and latencies as a run goes, in total and
/// per device; not thread-safe.</summary>
/// <remarks>
/// The first <see cref="MaxLatenciesKept"/> latencies are all kept, so the percentiles of a shorter
/// run are exact. A live run goes on without end, so after that a uniform reservoir of that size
/// replaces the list, and the percentiles become estimates over a random sample of all latencies.
/// </remarks>
public sealed class RunStatistics
{
    /// <summary>Most latencies kept for the percentiles (8 MB of doubles).</summary>
    public const int MaxLatenciesKept = 1_000_000;

    /// <summary>Cause under which windows lost to gaps are counted.</summary>
    public const string GapCause = "Gap";

    private static readonly QualityIssues[] IssueFlags =
        [QualityIssues.NonFinite, QualityIssues.FlatLine, QualityIssues.Clipping, QualityIssues.LowVariance];

    private readonly HashSet<string> _devices = new(StringComparer.Ordinal);
    private readonly Dictionary<string, long> _skippedByCause = new(StringComparer.Ordinal);
    private readonly List<double> _latenciesMs = [];
    private readonly Dictionary<string, DeviceTotals> _perDevice = new(StringComparer.Ordinal);
    private readonly Random _reservoirRandom = new(20_251_204);
    private long _latenciesSeen;
    private long _samplesIn;
    private long _discontinuities;
    private long _windowsScored;
    private long _windowsPositive;
    private long _windowsSkipped;

    /// <summary>Adds <paramref name="frameCount"/> received samples per channel of
    /// <paramref name="deviceId"/>.</summary>
    public void AddSamples(string deviceId, int frameCount)
    {
        _devices.Add(deviceId);
        _samplesIn += frameCount;
        Totals(deviceId).SamplesIn += frameCount;
    }

    /// <summary>Counts one block that did not continue its device's previous block.</summary>
    public void AddDiscontinuity() => _discontinuities++;

    /// <summary>Counts a gap of <paramref name="missingSamples"/> samples in a device's counter and
    /// the <paramref name="windowsLost"/> windows it cost; also a discontinuity.</summary>
    public void AddGap(string deviceId, long missingSamples, long windowsLost)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(missingSamples);
        ArgumentOutOfRangeException.ThrowIfNegative(windowsLost);
        var totals = Totals(deviceId);
        totals.Gaps++;
        totals.MissingSamples += missingSamples;
        totals.WindowsLostToGaps += windowsLost;
        totals.WindowsSkipped += windowsLost;
        _discontinuities++;
        _windowsSkipped += windowsLost;
        if (windowsLost > 0)
        {
            _skippedByCause[GapCause] = _skippedByCause.GetValueOrDefault(GapCause) + windowsLost;
        }
    }

    /// <summary>Counts <paramref name="samples"/> samples per channel of a device dropped as
    /// already received.</summary>
    public void AddDuplicates(string deviceId, long samples)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(samples);
        Totals(deviceId).DuplicateSamples += samples;
    }

    /// <summary>Counts a device restart (its counter went far back); also a discontinuity.</summary>
    public void AddRestart(string deviceId)
    {
        Totals(deviceId).Restarts++;
        _discontinuities++;
    }

    /// <summary>Counts one window by its outcome and, when the model ran, its latency.</summary>
    public void AddWindow(WindowResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        if (result.LatencyMs is { } latency)
        {
            AddLatency(latency);
        }

        var totals = Totals(result.DeviceId);
        if (result.Outcome == WindowOutcome.Scored)
        {
            totals.WindowsScored++;
        }
        else
        {
            totals.WindowsSkipped++;
        }

        switch (result.Outcome)
        {
            case WindowOutcome.Scored:
                _windowsScored++;
                if (result.IsPositive == true)
                {
                    _windowsPositive++;
                }

                break;
            case WindowOutcome.RejectedByQualityGate:
                _windowsSkipped++;
                foreach (var flag in IssueFlags)
                {
                    if (result.Quality.Issues.HasFlag(flag))
                    {
                        AddCause(flag.ToString());
                    }
                }

                break;
            case WindowOutcome.NonFiniteOutput:
                _windowsSkipped++;
                AddCause(nameof(WindowOutcome.NonFiniteOutput));
                break;
            default:
                throw new ArgumentException($"Unknown window outcome {result.Outcome}.", nameof(result));
        }
    }

    /// <summary>Returns the totals so far.</summary>
    public RunSummary ToSummary()
    {
        var sorted = _latenciesMs.Order().ToArray();
        return new RunSummary(
            _devices.Count,
            _samplesIn,
            _discontinuities,
            _windowsScored,
            _windowsPositive,
            _windowsSkipped,
            new Dictionary<string, long>(_skippedByCause, StringComparer.Ordinal),
            sorted.Length == 0 ? null : Percentile(sorted, 50),
            sorted.Length == 0 ? null : Percentile(sorted, 99))
        {
            Gaps = _perDevice.Values.Sum(totals => totals.Gaps),
            WindowsLostToGaps = _perDevice.Values.Sum(totals => totals.WindowsLostToGaps),
            DuplicateSamples = _perDevice.Values.Sum(totals => totals.DuplicateSamples),
            Restarts = _perDevice.Values.Sum(totals => totals.Restarts),
            PerDevice = _perDevice
                .OrderBy(pair => pair.Key, StringComparer.Ordinal)
                .Select(pair => pair.Value.ToSummary(pair.Key))
                .ToList(),
        };
    }

    /// <summary>
    /// Returns the <paramref name="percent"/> percentile of <paramref name="sorted"/> (ascending),
    /// interpolating linearly between the two nearest order statistics as NumPy does by default.
    /// </summary>
    /// <exception cref="ArgumentException">The list is empty or the percent is outside 0 to 100.</exception>
    public static double Percentile(IReadOnlyList<double> sorted, double percent)
    {
        ArgumentNullException.ThrowIfNull(sorted);
        if (sorted.Count == 0)
        {
            throw new ArgumentException("The percentile of an empty list is undefined.", nameof(sorted));
        }

        if (!(percent >= 0 && percent <= 100))
        {
            throw new ArgumentOutOfRangeException(nameof(percent), percent, "The percent must be from 0 to 100.");
        }

        var rank = percent / 100 * (sorted.Count - 1);
        var lower = (int)Math.Floor(rank);
        var upper = Math.Min(lower + 1, sorted.Count - 1);
        return sorted[lower] + ((rank - lower) * (sorted[upper] - sorted[lower]));
    }

    // Algorithm R: once the list is full, the n-th latency replaces a random entry with
    // probability MaxLatenciesKept / n, which keeps the list a uniform sample of all latencies.
    private void AddLatency(double latencyMs)
    {
        _latenciesSeen++;
        if (_latenciesMs.Count < MaxLatenciesKept)
        {
            _latenciesMs.Add(latencyMs);
            return;
        }

        var slot = _reservoirRandom.NextInt64(_latenciesSeen);
        if (slot < MaxLatenciesKept)
        {
            _latenciesMs[(int)slot] = latencyMs;
        }
    }

    private DeviceTotals Totals(string deviceId)
    {
        ArgumentNullException.ThrowIfNull(deviceId);
        if (!_perDevice.TryGetValue(deviceId, out var totals))
        {
            totals = new DeviceTotals();
            _perDevice.Add(deviceId, totals);
        }

        return totals;
    }

    private void AddCause(string cause)
    {
        _skippedByCause[cause] = _skippedByCause.GetValueOrDefault(cause) + 1;
    }

    private sealed class DeviceTotals
    {
        public long SamplesIn;
        public long WindowsScored;
        public long WindowsSkipped;
        public long Gaps;
        public long MissingSamples;
        public long WindowsLostToGaps;
        public long DuplicateSamples;
        public long Restarts;

        public DeviceSummary ToSummary(string deviceId) => new(
            deviceId,
            SamplesIn,
            WindowsScored,
            WindowsSkipped,
            Gaps,
            MissingSamples,
            WindowsLostToGaps,
            DuplicateSamples,
            Restarts);
    }
}
