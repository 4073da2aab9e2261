namespace SsdEdge.EdgeAgent.Pipeline;

/// <summary>Totals of a run over all devices.</summary>
/// <param name="Devices">Devices that delivered at least one block.</param>
/// <param name="SamplesIn">Samples per channel received, summed over devices.</param>
/// <param name="Discontinuities">Blocks after which a device's windowing restarted: gaps in its
/// sample counter and device restarts (<see cref="Gaps"/> plus <see cref="Restarts"/>).</param>
/// <param name="WindowsScored">Windows the model scored.</param>
/// <param name="WindowsPositive">Scored windows at or above the decision threshold.</param>
/// <param name="WindowsSkipped">Windows that were not scored, including those lost to gaps.</param>
/// <param name="SkippedByCause">Skipped windows per cause: the <see cref="SsdEdge.Preprocessing.QualityIssues"/>
/// flag names, <c>NonFiniteOutput</c>, and <c>Gap</c> for windows lost to gaps. A window with
/// several quality issues counts under each.</param>
/// <param name="MedianLatencyMs">Median inference latency in ms, or null when nothing was scored.</param>
/// <param name="P99LatencyMs">99th percentile of inference latency in ms (linear interpolation
/// between order statistics), or null when nothing was scored.</param>
public sealed record RunSummary(
    int Devices,
    long SamplesIn,
    long Discontinuities,
    long WindowsScored,
    long WindowsPositive,
    long WindowsSkipped,
    IReadOnlyDictionary<string, long> SkippedByCause,
    double? MedianLatencyMs,
    double? P99LatencyMs)
{
    /// <summary>Jumps forward in a sample counter, over all devices.</summary>
    public long Gaps { get; init; }

    /// <summary>Windows lost to gaps, over all devices; also counted in <see cref="WindowsSkipped"/>.</summary>
    public long WindowsLostToGaps { get; init; }

    /// <summary>Samples per channel dropped as already received, over all devices.</summary>
    public long DuplicateSamples { get; init; }

    /// <summary>Sample counters that went back by more than one window, over all devices.</summary>
    public long Restarts { get; init; }

    /// <summary>
    /// Input that the sources rejected before it reached a pipeline, such as bad payloads, wrong
    /// field counts or unknown devices. Counts are by cause over all devices, and empty when
    /// nothing was rejected.
    /// </summary>
    public IReadOnlyDictionary<string, long> InputRejectedByCause { get; init; } = new Dictionary<string, long>();

    /// <summary>Totals per device, in ordinal order of the device id.</summary>
    public IReadOnlyList<DeviceSummary> PerDevice { get; init; } = [];
}
