using System.Globalization;
using System.Text;

namespace SsdEdge.EdgeAgent.Bench;

/// <summary>Formats a <see cref="BenchReport"/> as plain-text tables.</summary>
public static class BenchTable
{
    /// <summary>Returns the memory per device, or that it is not measurable.</summary>
    public static string PerDeviceText(MemorySection memory)
    {
        ArgumentNullException.ThrowIfNull(memory);
        if (memory.BytesPerDevice is { } bytes)
        {
            return string.Create(CultureInfo.InvariantCulture, $"about {bytes / 1024:F0} KiB per device");
        }

        var noiseMiB = MemorySection.NoiseBytes / 1024 / 1024;
        return string.Create(
            CultureInfo.InvariantCulture,
            $"per device not measurable: the growth is below the {noiseMiB} MiB noise of the allocator");
    }

    /// <summary>Returns the report as text, one block per section.</summary>
    public static string Format(BenchReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        var text = new StringBuilder();
        var machine = report.Machine;
        var settings = report.Settings;
        Line(text, $"machine: {machine.CpuModel}, {machine.LogicalCores} logical cores, {machine.Architecture}");
        Line(
            text,
            $"software: {machine.OperatingSystem}; {machine.DotNetRuntime}; ONNX Runtime {machine.OnnxRuntimeVersion}");
        Line(text, $"model: {settings.ModelPath} ({settings.ModelId}), {settings.Channels.Count} channel(s) ",
            $"x {settings.WindowSamples} samples at {settings.ModelRateHz} Hz");
        Line(text, $"devices at {settings.DeviceRateHz} Hz, hop {settings.HopSeconds} s, ",
            $"{settings.Threads} intra-op thread(s), seed {settings.Seed}");
        if (settings.Smoke)
        {
            Line(text, $"SMOKE RUN: the figures below only show that every section runs.");
        }

        text.AppendLine();
        Line(text, $"{"section",-34} {"n",6} {"p50 ms",9} {"p90 ms",9} {"p99 ms",9} {"max ms",9} {"alloc B",8}");
        LatencyRow(text, "inference, batch 1", report.Inference.Latency, report.Inference.AllocatedBytesPerWindow);
        var comparison = report.Comparison;
        if (comparison.Available && comparison.Ours is { } ours && comparison.Theirs is { } theirs)
        {
            LatencyRow(text, "  interleaved: ours", ours, null);
            LatencyRow(text, "  interleaved: --compare-onnx", theirs, null);
            Line(text, $"  median ratio ours / theirs: {comparison.MedianRatio:F3}");
        }
        else
        {
            Line(text, $"  comparison: not run ({comparison.Reason})");
        }

        var preprocessing = report.Preprocessing;
        LatencyRow(text, "preprocessing per hop", preprocessing.PerHop, preprocessing.AllocatedBytesPerWindow);
        Line(text, $"  {preprocessing.RawWindowSamples} raw samples per window, {preprocessing.HopSamples} per hop");

        text.AppendLine();
        Line(
            text,
            $"{"CPU at one window per hop",-34} {"windows",8} {"wall s",8} {"CPU s",8} {"% core",8} {"% machine",10}");
        DutyRow(text, "spinning on", report.DutyCycle.SpinningOn);
        DutyRow(text, "spinning off", report.DutyCycle.SpinningOff);

        text.AppendLine();
        var memory = report.Memory;
        if (memory.Available)
        {
            Line(text, $"memory: peak resident (VmHWM) {Mib(memory.PeakResidentBytes)} including the devices below; ",
                $"resident (VmRSS) {Mib(memory.ResidentBeforeDevicesBytes)} with no device, ",
                $"{Mib(memory.ResidentWithDevicesBytes)} with {memory.Devices} devices ",
                $"({PerDeviceText(memory)})");
        }
        else
        {
            Line(text, $"memory: not available (no /proc/self/status)");
        }

        Line(text, $"memory: peak resident (VmHWM) at the end of the run {Mib(report.PeakResidentBytesAtEnd)}");

        text.AppendLine();
        CapacityRows(text, report.Capacity);

        text.AppendLine();
        foreach (var section in report.External)
        {
            ExternalRows(text, section);
        }

        return text.ToString();
    }

    private static void ExternalRows(StringBuilder text, ExternalSection section)
    {
        if (!section.Available)
        {
            Line(text, $"{section.Name}: {section.Reason}");
            return;
        }

        var figures = string.Join(", ", section.Figures.Select(pair => $"{pair.Key} {Figure(pair.Value)}"));
        Line(text, $"{section.Name}: {figures}");
        foreach (var (key, value) in section.Details)
        {
            Line(text, $"  {key}: {value}");
        }

        if (section.Rows.Count > 0)
        {
            Line(text, $"  {"step",-12} {"samples in",11} {"dropped",8} {"window p50",11} {"p99 ms",8} ",
                $"{"alert p50",10} {"p99 ms",8} {"% machine",10}  result");
        }

        foreach (var row in section.Rows)
        {
            var f = row.Figures;
            Line(text, $"  {row.Label,-12} {Figure(f, "samplesIn", "F0"),11} {Figure(f, "samplesDropped", "F0"),8} ",
                $"{Figure(f, "windowP50Ms", "F2"),11} {Figure(f, "windowP99Ms", "F2"),8} ",
                $"{Figure(f, "alertP50Ms", "F2"),10} {Figure(f, "alertP99Ms", "F2"),8} ",
                $"{Figure(f, "cpuPercentOfMachine", "F1"),10}  {(row.Passed ? "pass" : "fail: " + row.Failure)}");
        }
    }

    private static string Figure(IReadOnlyDictionary<string, double> figures, string name, string format) =>
        figures.TryGetValue(name, out var value) ? value.ToString(format, CultureInfo.InvariantCulture) : "-";

    private static void CapacityRows(StringBuilder text, CapacitySection capacity)
    {
        if (!capacity.Available)
        {
            Line(text, $"capacity ({capacity.Mode}): not run ({capacity.Reason})");
            return;
        }

        Line(text, $"capacity ({capacity.Mode}, no broker): devices of {capacity.ChannelCount} channel(s) at ",
            $"{capacity.DeviceRateHz} Hz; a step passes with no block dropped and p99 < {capacity.MaxP99Ms} ms");
        Line(text, $"{"devices",8} {"windows",8} {"dropped",8} {"p50 ms",9} {"p99 ms",9} {"max ms",9}  result");
        foreach (var step in capacity.Steps)
        {
            var latency = step.Latency;
            Line(text, $"{step.Devices,8} {step.WindowsScored,8} {step.BlocksDropped,8} ",
                $"{Ms(latency?.P50Ms),9} {Ms(latency?.P99Ms),9} {Ms(latency?.MaxMs),9}  ",
                $"{(step.Passed ? "pass" : "fail: " + step.Failure)}");
        }

        Line(text, $"capacity: {capacity.Capacity} device(s)");
    }

    private static void LatencyRow(StringBuilder text, string name, LatencySummary latency, double? allocated)
    {
        var allocatedText = allocated is { } bytes ? bytes.ToString("F0", CultureInfo.InvariantCulture) : "";
        Line(text, $"{name,-34} {latency.Count,6} {latency.P50Ms,9:F3} {latency.P90Ms,9:F3} ",
            $"{latency.P99Ms,9:F3} {latency.MaxMs,9:F3} {allocatedText,8}");
    }

    private static void DutyRow(StringBuilder text, string name, DutyCycleRun run) =>
        Line(text, $"{name,-34} {run.Windows,8} {run.WallSeconds,8:F1} {run.CpuSeconds,8:F2} ",
            $"{run.CpuPercentOfOneCore,8:F2} {run.CpuPercentOfMachine,10:F2}");

    private static string Ms(double? value) =>
        value is { } ms ? ms.ToString("F2", CultureInfo.InvariantCulture) : "-";

    private static string Mib(long bytes) =>
        string.Create(CultureInfo.InvariantCulture, $"{bytes / (1024.0 * 1024.0):F1} MiB");

    private static void Line(StringBuilder text, params FormattableString[] parts)
    {
        foreach (var part in parts)
        {
            text.Append(part.ToString(CultureInfo.InvariantCulture));
        }

        text.AppendLine();
    }

    // Counts print whole; other figures with four significant digits.
    private static string Figure(double value) =>
        double.IsFinite(value) && value == Math.Floor(value) && Math.Abs(value) < 1e15
            ? value.ToString("F0", CultureInfo.InvariantCulture)
            : value.ToString("G4", CultureInfo.InvariantCulture);
}
