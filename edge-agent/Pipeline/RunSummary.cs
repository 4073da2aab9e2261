namespace SsdEdge.EdgeAgent.Pipeline;

/// <summary>Totals of a run over all devices.</summary>
/// <param name="Devices">Devices that delivered at least one block.</param>
/// <param name="SamplesIn">Samples per channel received, summed over devices.</param>
/// <param name="Discontinuities">Blocks that did not continue their device's previous block; each
/// restarts that device's windowing.</param>
/// <param name="WindowsScored">Windows the model scored.</param>
/// <param name="WindowsPositive">Scored windows at or above the decision threshold.</param>
/// <param name="WindowsSkipped">Windows that were not scored.</param>
/// <param name="SkippedByCause">Skipped windows per cause: the <see cref="SsdEdge.Preprocessing.QualityIssues"/>
/// flag names, and <c>NonFiniteOutput</c>. A window with several quality issues counts under each.</param>
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
    double? P99LatencyMs);
