using SsdEdge.Preprocessing;

namespace SsdEdge.EdgeAgent.Pipeline;

/// <summary>Outcome of one window of one device.</summary>
/// <param name="DeviceId">Device the window came from.</param>
/// <param name="EndSample">Index one past the window's last raw sample, counted from the device's
/// first sample.</param>
/// <param name="EndSeconds">Time of the window's end from the device's first sample, in seconds.</param>
/// <param name="Outcome">Whether the window was scored or why not.</param>
/// <param name="Quality">Quality gate result of the raw window.</param>
/// <param name="WorstChannel">Name of the first channel that failed the gate, or null.</param>
/// <param name="Probabilities">Class probabilities in contract label order; empty unless scored.</param>
/// <param name="IsPositive">Whether the positive class reached the contract's decision threshold;
/// null unless scored.</param>
/// <param name="LatencyMs">Inference time in ms; null when the model did not run.</param>
public sealed record WindowResult(
    string DeviceId,
    long EndSample,
    double EndSeconds,
    WindowOutcome Outcome,
    QualityReport Quality,
    string? WorstChannel,
    IReadOnlyList<float> Probabilities,
    bool? IsPositive,
    double? LatencyMs)
{
    /// <summary>
    /// <see cref="System.Diagnostics.Stopwatch.GetTimestamp"/> when the block holding the window's
    /// last sample reached the agent; 0 when unknown.
    /// </summary>
    public long LastSampleReceivedTimestamp { get; init; }
}

