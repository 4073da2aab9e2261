namespace SsdEdge.EdgeAgent.Bench;

/// <summary>Everything one <c>ssdedge-agent bench</c> run measured, in the order it ran.</summary>
public sealed record BenchReport
{
    /// <summary>Machine and software the figures come from.</summary>
    public required MachineDescription Machine { get; init; }

    /// <summary>Model, input and settings of the run.</summary>
    public required BenchSettings Settings { get; init; }

    /// <summary>Latency of the model at batch 1 through the agent's inference engine.</summary>
    public required InferenceSection Inference { get; init; }

    /// <summary>The model and another graph run interleaved in one process.</summary>
    public required ComparisonSection Comparison { get; init; }

    /// <summary>Cost of windowing and preprocessing per hop.</summary>
    public required PreprocessingSection Preprocessing { get; init; }

    /// <summary>Process CPU share at one window per hop.</summary>
    public required DutyCycleSection DutyCycle { get; init; }

    /// <summary>Resident memory.</summary>
    public required MemorySection Memory { get; init; }

    /// <summary>Devices one process serves within the latency limit, measured in-process.</summary>
    public required CapacitySection Capacity { get; init; }

    /// <summary>Sections that need parts outside this process (a broker, an alert subscriber),
    /// in report order; each states whether this build could measure it.</summary>
    public required IReadOnlyList<ExternalSection> External { get; init; }

    /// <summary>Peak resident memory of the process when the run ended (VmHWM), in bytes;
    /// 0 where <c>/proc/self/status</c> is missing.</summary>
    public required long PeakResidentBytesAtEnd { get; init; }
}

/// <summary>Machine and software a report comes from.</summary>
/// <param name="CpuModel">CPU model name from <c>/proc/cpuinfo</c>, or "unknown".</param>
/// <param name="LogicalCores">Logical processors the process may use.</param>
/// <param name="OperatingSystem">Operating system description.</param>
/// <param name="Architecture">Process architecture, such as X64 or Arm64.</param>
/// <param name="DotNetRuntime">.NET runtime description.</param>
/// <param name="OnnxRuntimeVersion">Version of the native ONNX Runtime library.</param>
public sealed record MachineDescription(
    string CpuModel,
    int LogicalCores,
    string OperatingSystem,
    string Architecture,
    string DotNetRuntime,
    string OnnxRuntimeVersion);

/// <summary>Model, input and settings of a run.</summary>
/// <param name="ModelPath">Model file.</param>
/// <param name="ModelId">Model id from its signal contract.</param>
/// <param name="Channels">Contract channel names, in order.</param>
/// <param name="WindowSamples">Samples per channel of the model input.</param>
/// <param name="ModelRateHz">Rate of the model input, in Hz.</param>
/// <param name="DeviceRateHz">Rate of the simulated devices, in Hz.</param>
/// <param name="HopSeconds">Seconds between the ends of consecutive windows.</param>
/// <param name="Threads">ONNX Runtime intra-op threads.</param>
/// <param name="Seed">Seed of the synthetic windows.</param>
/// <param name="Smoke">Whether this was a smoke run whose figures mean nothing.</param>
public sealed record BenchSettings(
    string ModelPath,
    string ModelId,
    IReadOnlyList<string> Channels,
    int WindowSamples,
    double ModelRateHz,
    double DeviceRateHz,
    double HopSeconds,
    int Threads,
    ulong Seed,
    bool Smoke);

/// <summary>Inference latency at batch 1 after warm-up.</summary>
/// <param name="Latency">Time per <see cref="Inference.InferenceEngine.Run(ReadOnlySpan{float}, Span{float})"/>
/// call: copy in, run, softmax.</param>
/// <param name="AllocatedBytesPerWindow">Managed bytes allocated per call on the measuring thread.</param>
public sealed record InferenceSection(LatencySummary Latency, double AllocatedBytesPerWindow);

/// <summary>The model and another graph with the same input, run alternately on the same windows.</summary>
/// <param name="Available">Whether a graph to compare was given and could run.</param>
/// <param name="Reason">Why the section is not available; null when it is.</param>
/// <param name="ComparePath">The other graph's file.</param>
/// <param name="Ours">Latency of the model through the inference engine.</param>
/// <param name="Theirs">Latency of the other graph with the same session options and binding.</param>
/// <param name="MedianRatio">Median of ours divided by median of theirs; below 1 means ours is faster.</param>
public sealed record ComparisonSection(
    bool Available,
    string? Reason,
    string? ComparePath,
    LatencySummary? Ours,
    LatencySummary? Theirs,
    double? MedianRatio);

/// <summary>Windowing and preprocessing per hop for one device.</summary>
/// <param name="PerHop">Time of one <see cref="Streaming.StreamingWindower.Append"/> call that
/// receives one hop of samples and completes one window (ring write, window copy, quality gate,
/// filters, resampling, normalisation).</param>
/// <param name="AllocatedBytesPerWindow">Managed bytes allocated per such call.</param>
/// <param name="RawWindowSamples">Raw samples per channel in a window, at the device rate.</param>
/// <param name="HopSamples">Raw samples per channel in a hop.</param>
public sealed record PreprocessingSection(
    LatencySummary PerHop,
    double AllocatedBytesPerWindow,
    int RawWindowSamples,
    int HopSamples);

/// <summary>Process CPU share at one window per hop, with intra-op spinning on and off.</summary>
/// <param name="SpinningOn">Run with <c>session.intra_op.allow_spinning</c> = 1.</param>
/// <param name="SpinningOff">Run with <c>session.intra_op.allow_spinning</c> = 0.</param>
public sealed record DutyCycleSection(DutyCycleRun SpinningOn, DutyCycleRun SpinningOff);

/// <summary>One CPU-share run.</summary>
/// <param name="AllowSpinning">Whether idle intra-op threads were allowed to spin.</param>
/// <param name="Windows">Windows scored during the run.</param>
/// <param name="WallSeconds">Wall time of the run, in s.</param>
/// <param name="CpuSeconds">Process CPU time (user and system, all threads) in the run, in s.</param>
/// <param name="CpuPercentOfOneCore">CPU time over wall time, in percent of one core.</param>
/// <param name="CpuPercentOfMachine">The same divided by the logical core count.</param>
public sealed record DutyCycleRun(
    bool AllowSpinning,
    int Windows,
    double WallSeconds,
    double CpuSeconds,
    double CpuPercentOfOneCore,
    double CpuPercentOfMachine);

/// <summary>Resident memory of the process, read from <c>/proc/self/status</c>.</summary>
/// <param name="Available">Whether <c>/proc/self/status</c> could be read.</param>
/// <param name="PeakResidentBytes">VmHWM after the latency, CPU and device sections, in bytes.</param>
/// <param name="ResidentBeforeDevicesBytes">VmRSS with the model loaded and no device pipelines.</param>
/// <param name="ResidentWithDevicesBytes">VmRSS with <paramref name="Devices"/> pipelines, each
/// having completed a window.</param>
/// <param name="Devices">Device pipelines held for the second figure.</param>
/// <param name="BytesPerDevice">Growth in VmRSS per device pipeline; an estimate, because the
/// garbage collector and the allocator hold memory in chunks; null when the growth is below
/// <see cref="MemorySection.NoiseBytes"/>, negative included, so not measurable.</param>
public sealed record MemorySection(
    bool Available,
    long PeakResidentBytes,
    long ResidentBeforeDevicesBytes,
    long ResidentWithDevicesBytes,
    int Devices,
    double? BytesPerDevice)
{
    /// <summary>Growth in VmRSS, in bytes, below which the difference is taken as noise: the
    /// runtime and the allocator commit and release memory in chunks of about this size.</summary>
    public const long NoiseBytes = 1024 * 1024;

    /// <summary>Returns the growth per device, or null when the growth over all devices is below
    /// <see cref="NoiseBytes"/> or negative.</summary>
    public static double? PerDevice(long beforeBytes, long afterBytes, int devices)
    {
        var growth = afterBytes - beforeBytes;
        return devices <= 0 || growth < NoiseBytes ? null : (double)growth / devices;
    }
}

/// <summary>Simulated devices served by one process at real-time pace, stepped until one fails.</summary>
/// <param name="Available">Whether the section ran.</param>
/// <param name="Reason">Why it did not run; null when it did.</param>
/// <param name="Mode">How devices reach the pipelines: "in-process" (a queue in this process, no
/// network or broker).</param>
/// <param name="MaxP99Ms">p99 window latency each step must stay under, in ms.</param>
/// <param name="ChannelCount">Channels per device.</param>
/// <param name="DeviceRateHz">Sampling rate of each device, in Hz.</param>
/// <param name="Steps">Each device count tried, in order.</param>
/// <param name="Capacity">Largest device count that passed; 0 when none did.</param>
public sealed record CapacitySection(
    bool Available,
    string? Reason,
    string Mode,
    double MaxP99Ms,
    int ChannelCount,
    double DeviceRateHz,
    IReadOnlyList<CapacityStep> Steps,
    int Capacity);

/// <summary>One device count of the capacity section.</summary>
/// <param name="Devices">Simulated devices.</param>
/// <param name="Seconds">Wall time the devices sent samples, in s.</param>
/// <param name="BlocksSent">Blocks the devices offered.</param>
/// <param name="BlocksDropped">Blocks rejected because the ingest queue was full.</param>
/// <param name="SamplesBehind">Samples per channel offered but never processed.</param>
/// <param name="WindowsScored">Windows scored.</param>
/// <param name="Latency">Time from the arrival of a window's last block to its scored result;
/// null when no window was scored.</param>
/// <param name="Passed">Whether nothing was dropped and p99 stayed under the limit.</param>
/// <param name="Failure">Why the step failed; null when it passed.</param>
public sealed record CapacityStep(
    int Devices,
    double Seconds,
    long BlocksSent,
    long BlocksDropped,
    long SamplesBehind,
    long WindowsScored,
    LatencySummary? Latency,
    bool Passed,
    string? Failure);

/// <summary>A section measured by a part outside this process, such as end-to-end latency through
/// a broker.</summary>
/// <param name="Name">Section name, such as <c>endToEnd</c>.</param>
/// <param name="Available">Whether this build could measure it.</param>
/// <param name="Reason">Why it is not available; null when it is.</param>
/// <param name="Figures">Measured figures by name, with units in the names (such as
/// <c>p99Ms</c>); empty when not available.</param>
public sealed record ExternalSection(
    string Name,
    bool Available,
    string? Reason,
    IReadOnlyDictionary<string, double> Figures)
{
    /// <summary>Facts of the set-up in words, such as the broker and the outbox's file system.</summary>
    public IReadOnlyDictionary<string, string> Details { get; init; } = new Dictionary<string, string>();

    /// <summary>Rows of a section measured in steps, such as one per device count; empty otherwise.</summary>
    public IReadOnlyList<ExternalRow> Rows { get; init; } = [];
}

/// <summary>One step of an external section.</summary>
/// <param name="Label">What the step was, such as "50 devices".</param>
/// <param name="Passed">Whether the step met the section's limits.</param>
/// <param name="Failure">Why it failed; null when it passed.</param>
/// <param name="Figures">Measured figures by name, units in the names.</param>
public sealed record ExternalRow(
    string Label,
    bool Passed,
    string? Failure,
    IReadOnlyDictionary<string, double> Figures);
