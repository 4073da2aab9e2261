using Microsoft.Extensions.Logging;
using SsdEdge.Preprocessing;

namespace SsdEdge.EdgeAgent;

/// <summary>Log messages of the agent, generated at compile time.</summary>
/// <remarks>
/// Event ids by feature: 1000–1099 agent start, stop and failure; 1100–1199 model loading;
/// 1200–1299 sample sources; 1300–1399 device pipelines. Features with their own log class
/// take their own range: 2000–2099 serial sources, 2100–2199 MQTT sources and the embedded broker,
/// 2200–2299 the simulator, 2300–2399 alerts and the outbox, 2400–2499 metrics and health,
/// 2500–2599 benchmarks.
/// </remarks>
internal static partial class Log
{
    [LoggerMessage(EventId = 1000, Level = LogLevel.Information,
        Message = "Agent starting: replay {Replay} at speed {Speed} (0 = as fast as possible), "
            + "hop {HopSeconds} s, {Threads} inference thread(s)")]
    public static partial void AgentStarting(
        ILogger logger,
        string replay,
        double speed,
        double hopSeconds,
        int threads);

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
        Message = "Stop requested; the window in flight was finished and replay stopped")]
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
        Message = "Device {DeviceId}: expected sample {ExpectedSample}, got {ActualSample}; "
            + "windowing restarts there")]
    public static partial void StreamDiscontinuity(
        ILogger logger,
        string deviceId,
        long expectedSample,
        long actualSample);

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
