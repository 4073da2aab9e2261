using System.Globalization;
using System.Text;
using SsdEdge.Contracts;
using SsdEdge.EdgeAgent.Alerts;
using SsdEdge.EdgeAgent.Pipeline;

namespace SsdEdge.EdgeAgent.Output;

/// <summary>Writes one human-readable line per window, one per alert raised or cleared, and a
/// summary block at the end.</summary>
/// <remarks>
/// A scored window reads
/// <c>DEVICE 12.000s BL1=0.912345 PA4=0.087655 quality=ok above=no latency=3.214ms</c>, where
/// <c>above</c> says whether the positive class's probability is at or above the model's decision
/// threshold; a skipped one <c>DEVICE 13.000s skipped quality=FlatLine channel=eda</c>. An alert of
/// the alert policy reads <c>ALERT raised DEVICE window_end=23.000s PA4=0.912345 id=ID</c>, or
/// <c>ALERT cleared ...</c>. Numbers use the invariant culture. Writes are serialised with a lock,
/// so pipelines of several devices may share one sink. A run that received no sample writes no
/// summary, because every total in it would be zero.
/// </remarks>
public sealed class ConsoleWindowSink : IWindowSink, IAlertObserver
{
    private readonly TextWriter _writer;
    private readonly SignalContract _contract;
    private readonly Lock _gate = new();

    /// <summary>Creates a sink that writes to <paramref name="writer"/> and labels classes by
    /// <paramref name="contract"/>.</summary>
    public ConsoleWindowSink(TextWriter writer, SignalContract contract)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(contract);
        _writer = writer;
        _contract = contract;
    }

    /// <inheritdoc />
    public void Write(WindowResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        var line = FormatWindow(result, _contract);
        lock (_gate)
        {
            _writer.WriteLine(line);
        }
    }

    /// <inheritdoc />
    public void OnAlert(AlertEvent alert)
    {
        ArgumentNullException.ThrowIfNull(alert);
        var line = FormatAlert(alert, _contract);
        lock (_gate)
        {
            _writer.WriteLine(line);
        }
    }

    /// <summary>Formats the line of one alert event: its type, device, the end of the window that
    /// raised or cleared it (device time), the positive class's probability there and its id.</summary>
    public static string FormatAlert(AlertEvent alert, SignalContract contract)
    {
        ArgumentNullException.ThrowIfNull(alert);
        ArgumentNullException.ThrowIfNull(contract);
        var verb = alert.Type == "raise" ? "raised" : "cleared";
        var label = contract.ClassLabels[contract.PositiveClassIndex];
        return string.Create(
            CultureInfo.InvariantCulture,
            $"ALERT {verb} {alert.DeviceId} window_end={alert.WindowEndSeconds:F3}s {label}={alert.Probability:F6} id={alert.Id}");
    }

    /// <inheritdoc />
    public void Complete(RunSummary summary)
    {
        ArgumentNullException.ThrowIfNull(summary);
        if (summary.Devices == 0 && summary.SamplesIn == 0)
        {
            return;
        }

        var text = FormatSummary(summary, _contract);
        lock (_gate)
        {
            _writer.Write(text);
            _writer.Flush();
        }
    }

    /// <summary>Formats the line of one window.</summary>
    public static string FormatWindow(WindowResult result, SignalContract contract)
    {
        ArgumentNullException.ThrowIfNull(result);
        ArgumentNullException.ThrowIfNull(contract);
        var line = new StringBuilder();
        line.Append(CultureInfo.InvariantCulture, $"{result.DeviceId} {result.EndSeconds:F3}s");
        switch (result.Outcome)
        {
            case WindowOutcome.Scored:
                for (var i = 0; i < result.Probabilities.Count; i++)
                {
                    var label = contract.ClassLabels[i];
                    line.Append(CultureInfo.InvariantCulture, $" {label}={result.Probabilities[i]:F6}");
                }

                line.Append(" quality=ok");
                line.Append(result.IsPositive == true ? " above=yes" : " above=no");
                line.Append(CultureInfo.InvariantCulture, $" latency={result.LatencyMs:F3}ms");
                break;
            case WindowOutcome.RejectedByQualityGate:
                line.Append(CultureInfo.InvariantCulture, $" skipped quality={result.Quality.Issues}");
                if (result.WorstChannel is not null)
                {
                    line.Append(CultureInfo.InvariantCulture, $" channel={result.WorstChannel}");
                }

                break;
            case WindowOutcome.NonFiniteOutput:
                line.Append(" skipped model output is not finite");
                break;
            default:
                throw new ArgumentException($"Unknown window outcome {result.Outcome}.", nameof(result));
        }

        return line.ToString();
    }

    /// <summary>Formats the end-of-run summary, one fact per line; positive windows are labelled
    /// with <paramref name="contract"/>'s positive class.</summary>
    public static string FormatSummary(RunSummary summary, SignalContract contract)
    {
        ArgumentNullException.ThrowIfNull(summary);
        ArgumentNullException.ThrowIfNull(contract);
        var positiveLabel = contract.ClassLabels[contract.PositiveClassIndex];
        var causes = summary.SkippedByCause.Count == 0
            ? ""
            : " (" + string.Join(", ", summary.SkippedByCause.OrderBy(pair => pair.Key, StringComparer.Ordinal)
                .Select(pair => $"{pair.Key} {pair.Value}")) + ")";
        var text = new StringBuilder();
        text.AppendLine("summary:");
        text.AppendLine(CultureInfo.InvariantCulture, $"  devices: {summary.Devices}");
        text.AppendLine(CultureInfo.InvariantCulture, $"  samples in: {summary.SamplesIn} per channel");
        text.AppendLine(
            CultureInfo.InvariantCulture,
            $"  windows scored: {summary.WindowsScored} ({summary.WindowsPositive} {positiveLabel})");
        text.AppendLine(CultureInfo.InvariantCulture, $"  windows skipped: {summary.WindowsSkipped}{causes}");
        if (summary.InputRejectedByCause.Values.Sum() is var rejected and > 0)
        {
            var rejections = string.Join(
                ", ",
                summary.InputRejectedByCause.OrderBy(pair => pair.Key, StringComparer.Ordinal)
                    .Select(pair => $"{pair.Key} {pair.Value}"));
            text.AppendLine(CultureInfo.InvariantCulture, $"  input rejected: {rejected} ({rejections})");
        }

        if (summary.Discontinuities > 0)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"  discontinuities: {summary.Discontinuities}");
        }

        if (summary.Gaps > 0 || summary.DuplicateSamples > 0 || summary.Restarts > 0)
        {
            text.AppendLine(
                CultureInfo.InvariantCulture,
                $"  continuity: {summary.Gaps} gap(s) costing {summary.WindowsLostToGaps} window(s), "
                + $"{summary.DuplicateSamples} duplicate sample(s) dropped, {summary.Restarts} restart(s)");
        }

        if (summary.PerDevice.Count > 1 || summary.Gaps > 0 || summary.DuplicateSamples > 0 || summary.Restarts > 0)
        {
            foreach (var device in summary.PerDevice)
            {
                text.AppendLine(
                    CultureInfo.InvariantCulture,
                    $"  device {device.DeviceId}: {device.SamplesIn} samples, {device.WindowsScored} scored, "
                    + $"{device.WindowsSkipped} skipped ({device.WindowsLostToGaps} lost to {device.Gaps} gap(s)), "
                    + $"{device.DuplicateSamples} duplicate(s), {device.Restarts} restart(s)");
            }
        }

        if (summary.MedianLatencyMs is { } median && summary.P99LatencyMs is { } p99)
        {
            text.AppendLine(
                CultureInfo.InvariantCulture,
                $"  inference latency: median {median:F3} ms, p99 {p99:F3} ms");
        }
        else
        {
            text.AppendLine("  inference latency: no window scored");
        }

        return text.ToString();
    }
}
