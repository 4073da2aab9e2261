using SsdEdge.Preprocessing;

namespace SsdEdge.EdgeAgent.Pipeline;

/// <summary>Counts samples, windows and latencies as a run goes; not thread-safe.</summary>
/// <remarks>
/// Every latency is kept so that the percentiles are exact.
/// TODO: a live source runs without end, so bound this memory (a histogram or a reservoir) there.
/// </remarks>
public sealed class RunStatistics
{
    private static readonly QualityIssues[] IssueFlags =
        [QualityIssues.NonFinite, QualityIssues.FlatLine, QualityIssues.Clipping, QualityIssues.LowVariance];

    private readonly HashSet<string> _devices = new(StringComparer.Ordinal);
    private readonly Dictionary<string, long> _skippedByCause = new(StringComparer.Ordinal);
    private readonly List<double> _latenciesMs = [];
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
    }

    /// <summary>Counts one block that did not continue its device's previous block.</summary>
    public void AddDiscontinuity() => _discontinuities++;

    /// <summary>Counts one window by its outcome and, when the model ran, its latency.</summary>
    public void AddWindow(WindowResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        if (result.LatencyMs is { } latency)
        {
            _latenciesMs.Add(latency);
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
            sorted.Length == 0 ? null : Percentile(sorted, 99));
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

    private void AddCause(string cause)
    {
        _skippedByCause[cause] = _skippedByCause.GetValueOrDefault(cause) + 1;
    }
}
