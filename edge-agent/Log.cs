using Microsoft.Extensions.Logging;
using SsdEdge.Preprocessing;

namespace SsdEdge.EdgeAgent;

/// <summary>Log messages of the agent, generated at compile time.</summary>
/// <remarks>
/// Event ids by feature: 1000–1099 agent start, stop and failure; 1100–1199 model loading;
/// 1200–1299 sample sources; 1300–1399 device pipelines. Features with their own log class
/// take their own range: 2000–2099 serial sources, 2100–2199 MQTT sources and the embedded broker,
/// 2200–2299 the simulator, 2300–2399 alerts and the outbox, 2400–2499 metrics and health,
/// 2500–2599 benchmarks, 2600–2699 deployment (systemd watchdog).
/// </remarks>
internal static partial class Log
{
    [LoggerMessage(EventId = 1000, Level = LogLevel.Information,
        Message = "Agent starting: source(s) {Sources}, hop {HopSeconds} s, {Threads} inference thread(s), "
            + "duration {DurationSeconds} s (0 = until stopped)")]
    public static partial void AgentStarting(
        ILogger logger,
        string sources,
        double hopSeconds,
        int threads,
        double durationSeconds);

    [LoggerMessage(EventId = 1004, Level = LogLevel.Warning,
        Message = "Source {Source} failed: {Reason}; the other {Remaining} source(s) go on, and the run will "
            + "exit with code 1")]
    public static partial void SourceFailed(
        ILogger logger,
        string source,
        string reason,
        int remaining,
        Exception exception);

    // Debug, because the program prints the reason once on standard error when the last source fails.
    [LoggerMessage(EventId = 1009, Level = LogLevel.Debug, Message = "Source {Source} failed: {Reason}")]
    public static partial void LastSourceFailed(ILogger logger, string source, string reason, Exception exception);

    [LoggerMessage(EventId = 1006, Level = LogLevel.Information,
        Message = "Source {Source} ended; {Remaining} source(s) still running")]
    public static partial void SourceEnded(ILogger logger, string source, int remaining);

    [LoggerMessage(EventId = 1007, Level = LogLevel.Information,
        Message = "Run duration of {DurationSeconds} s reached; stopping")]
    public static partial void DurationReached(ILogger logger, double durationSeconds);

    [LoggerMessage(EventId = 1001, Level = LogLevel.Information,
        Message = "Agent finished: {WindowsScored} windows scored, {WindowsSkipped} skipped, {SamplesIn} samples "
            + "per channel from {Devices} device(s); inference latency median {MedianLatencyMs:F3} ms, "
            + "p99 {P99LatencyMs:F3} ms")]
    public static partial void AgentFinished(
        ILogger logger,
        long windowsScored,
        long windowsSkipped,
        long samplesIn,
        int devices,
        double medianLatencyMs,
        double p99LatencyMs);

    [LoggerMessage(EventId = 1005, Level = LogLevel.Information,
        Message = "Agent finished: no window scored, {WindowsSkipped} skipped, {SamplesIn} samples per channel "
            + "from {Devices} device(s)")]
    public static partial void AgentFinishedWithoutScores(
        ILogger logger,
        long windowsSkipped,
        long samplesIn,
        int devices);

    [LoggerMessage(EventId = 1002, Level = LogLevel.Information,
        Message = "Stop requested; the window in flight was finished and the sources stopped")]
    public static partial void AgentStopRequested(ILogger logger);

    // Debug, because the program prints the reason once on standard error; this entry adds the
    // stack trace.
    [LoggerMessage(EventId = 1003, Level = LogLevel.Debug, Message = "Agent failed: {Reason}")]
    public static partial void AgentFailed(ILogger logger, string reason, Exception exception);

    [LoggerMessage(EventId = 1100, Level = LogLevel.Information,
        Message = "Model {ModelPath} loaded in {LoadMs:F0} ms: id {ModelId}, channels {Channels}, "
            + "{WindowSamples} samples at {ModelRateHz} Hz, classes {ClassLabels} (positive {PositiveClass} at "
            + ">= {DecisionThreshold}), input '{InputName}', output '{OutputName}'")]
    public static partial void ModelLoaded(
        ILogger logger,
        string modelPath,
        double loadMs,
        string modelId,
        string channels,
        int windowSamples,
        double modelRateHz,
        string classLabels,
        string positiveClass,
        double decisionThreshold,
        string inputName,
        string outputName);

    [LoggerMessage(EventId = 1200, Level = LogLevel.Information,
        Message = "Replay source {Source} read: {RecordingCount} recording(s), "
            + "{SkippedRows} malformed row(s) skipped")]
    public static partial void ReplayOpened(ILogger logger, string source, int recordingCount, int skippedRows);

    [LoggerMessage(EventId = 1201, Level = LogLevel.Warning,
        Message = "Skipped malformed row {Path}:{Line}: {Problem}")]
    public static partial void ReplayRowSkipped(ILogger logger, string path, int line, string problem);

    [LoggerMessage(EventId = 1202, Level = LogLevel.Warning,
        Message = "{Count} more malformed row(s) skipped without a log entry each")]
    public static partial void ReplayRowsSkippedNotLogged(ILogger logger, int count);

    [LoggerMessage(EventId = 1203, Level = LogLevel.Information,
        Message = "Replaying recording {DeviceId}: {SamplingRateHz} Hz, {Samples} samples per channel "
            + "({DurationSeconds:F1} s)")]
    public static partial void ReplayRecordingStarted(
        ILogger logger,
        string deviceId,
        double samplingRateHz,
        int samples,
        double durationSeconds);

    [LoggerMessage(EventId = 1300, Level = LogLevel.Information,
        Message = "Pipeline for device {DeviceId}: {RawWindowSamples} raw samples per window "
            + "at {SamplingRateHz} Hz, hop {HopSamples} samples")]
    public static partial void PipelineCreated(
        ILogger logger,
        string deviceId,
        int rawWindowSamples,
        double samplingRateHz,
        int hopSamples);

    [LoggerMessage(EventId = 1301, Level = LogLevel.Information,
        Message = "Device {DeviceId} channel {Channel} arrives at {SamplingRateHz} Hz; the model was trained on "
            + "{TrainingRateHz} Hz, and the shared preprocessing resamples it to {ModelRateHz} Hz")]
    public static partial void RateDiffersFromTraining(
        ILogger logger,
        string deviceId,
        string channel,
        double samplingRateHz,
        double trainingRateHz,
        double modelRateHz);

    [LoggerMessage(EventId = 1302, Level = LogLevel.Warning,
        Message = "Device {DeviceId} delivered {Samples} samples per channel, fewer than the {RawWindowSamples} "
            + "of one window, so none of it was scored")]
    public static partial void DeviceShorterThanWindow(
        ILogger logger,
        string deviceId,
        long samples,
        int rawWindowSamples);

    [LoggerMessage(EventId = 1306, Level = LogLevel.Information,
        Message = "Device {DeviceId} stopped before the first full window: stop requested after {Samples} "
            + "samples per channel of the {RawWindowSamples} one window needs")]
    public static partial void DeviceStoppedBeforeWindow(
        ILogger logger,
        string deviceId,
        long samples,
        int rawWindowSamples);

    [LoggerMessage(EventId = 1303, Level = LogLevel.Warning,
        Message = "Device {DeviceId}: gap in the sample counter, expected sample {ExpectedSample}, got "
            + "{ActualSample} ({MissingSamples} samples missing, {WindowsLost} window(s) lost); windowing "
            + "restarts there")]
    public static partial void StreamGap(
        ILogger logger,
        string deviceId,
        long expectedSample,
        long actualSample,
        long missingSamples,
        long windowsLost);

    [LoggerMessage(EventId = 1307, Level = LogLevel.Debug,
        Message = "Device {DeviceId}: block from sample {FirstSample} repeats {Duplicates} sample(s) already "
            + "received (expected sample {ExpectedSample}); they are dropped")]
    public static partial void DuplicateSamplesDropped(
        ILogger logger,
        string deviceId,
        long firstSample,
        int duplicates,
        long expectedSample);

    [LoggerMessage(EventId = 1308, Level = LogLevel.Warning,
        Message = "Device {DeviceId}: sample counter went back from {ExpectedSample} to {ActualSample}, more "
            + "than one window ({RawWindowSamples} samples); taken as a device restart, the stream restarts there")]
    public static partial void StreamRestarted(
        ILogger logger,
        string deviceId,
        long expectedSample,
        long actualSample,
        int rawWindowSamples);

    [LoggerMessage(EventId = 1309, Level = LogLevel.Warning,
        Message = "Device {DeviceId}: samples arrive at {MeasuredRateHz:F1} Hz, but the device declares "
            + "{NominalRateHz} Hz (tolerance {TolerancePercent} %); window times still follow its sample counter")]
    public static partial void RateMismatchStarted(
        ILogger logger,
        string deviceId,
        double measuredRateHz,
        double nominalRateHz,
        double tolerancePercent);

    [LoggerMessage(EventId = 1310, Level = LogLevel.Information,
        Message = "Device {DeviceId}: samples arrive at {MeasuredRateHz:F1} Hz again, within tolerance")]
    public static partial void RateMismatchEnded(ILogger logger, string deviceId, double measuredRateHz);

    [LoggerMessage(EventId = 1311, Level = LogLevel.Warning,
        Message = "Device {DeviceId} cannot be processed, so its blocks are dropped: {Reason}")]
    public static partial void DeviceRejected(ILogger logger, string deviceId, string reason);

    [LoggerMessage(EventId = 1304, Level = LogLevel.Debug,
        Message = "Device {DeviceId}: window ending at sample {EndSample} rejected by the quality gate "
            + "({Issues}, channel {Channel})")]
    public static partial void WindowRejected(
        ILogger logger,
        string deviceId,
        long endSample,
        QualityIssues issues,
        string channel);

    [LoggerMessage(EventId = 1305, Level = LogLevel.Warning,
        Message = "Device {DeviceId}: the model returned a non-finite value for the window ending at sample "
            + "{EndSample}; such windows are discarded and counted in the summary")]
    public static partial void NonFiniteModelOutput(ILogger logger, string deviceId, long endSample);
}
