namespace SsdEdge.EdgeAgent.Pipeline;

/// <summary>Totals of one device over a run.</summary>
/// <param name="DeviceId">Device the totals belong to.</param>
/// <param name="SamplesIn">Samples per channel that reached the windowing, duplicates excluded.</param>
/// <param name="WindowsScored">Windows the model scored.</param>
/// <param name="WindowsSkipped">Windows not scored, including those lost to gaps.</param>
/// <param name="Gaps">Jumps forward in the device's sample counter.</param>
/// <param name="MissingSamples">Samples per channel the gaps skipped over.</param>
/// <param name="WindowsLostToGaps">Windows a continuous stream would have ended between the last
/// sample before each gap and the first full window after it.</param>
/// <param name="DuplicateSamples">Samples per channel dropped because they were already received.</param>
/// <param name="Restarts">Times the sample counter went back by more than one window, which is taken
/// as a device restart.</param>
public sealed record DeviceSummary(
    string DeviceId,
    long SamplesIn,
    long WindowsScored,
    long WindowsSkipped,
    long Gaps,
    long MissingSamples,
    long WindowsLostToGaps,
    long DuplicateSamples,
    long Restarts);
