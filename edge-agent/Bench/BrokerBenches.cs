using System.Globalization;
using Microsoft.Extensions.Logging;
using SsdEdge.EdgeAgent.Alerts;
using SsdEdge.EdgeAgent.Inference;
using SsdEdge.EdgeAgent.Output;
using SsdEdge.EdgeAgent.Pipeline;

namespace SsdEdge.EdgeAgent.Bench;

/// <summary>The sections measured through a real MQTT broker, and what they share.</summary>
public static class BrokerBenches
{
    /// <summary>Returns the end-to-end and broker capacity sections.</summary>
    /// <param name="loggers">Loggers of the agent's parts inside the runs; warnings and errors are
    /// worth passing on, information is one line per device.</param>
    public static IReadOnlyList<IExternalBench> Create(ILoggerFactory loggers) =>
        [new EndToEndBench(loggers), new BrokerCapacityBench(loggers)];

    /// <summary>Returns the alert policy of the broker sections: raise at one window of one at or
    /// above the median pain probability of the feed's windows, clear at one window below it, no
    /// cooldown, so that an event follows every time the probability crosses the median; also the
    /// share of windows that cross it in the feed.</summary>
    internal static (AlertOptions Alerts, double EventsPerWindow) CalibrateAlerts(
        OnnxModel model,
        SyntheticFeed feed,
        double hopSeconds,
        ILogger logger)
    {
        using var engine = model.CreateEngine();
        var sink = new ProbabilitySink(model.Contract.PositiveClassIndex);
        var device = BenchDevices.Describe(0, feed);
        var pipeline = BenchDevices.CreatePipeline(device, model, engine, hopSeconds, sink, new RunStatistics(), logger);
        var position = 0L;
        BenchDevices.Feed(pipeline, feed, position, pipeline.RawWindowSamples);
        position += pipeline.RawWindowSamples;
        while (position + pipeline.HopSamples <= feed.FrameCount)
        {
            BenchDevices.Feed(pipeline, feed, position, pipeline.HopSamples);
            position += pipeline.HopSamples;
        }

        var probabilities = sink.Probabilities;
        var median = probabilities.Count == 0
            ? 0.5
            : RunStatistics.Percentile([.. probabilities.Order()], 50);
        var threshold = Math.Clamp(median, 1e-6, 1);
        var crossings = 0;
        for (var i = 1; i < probabilities.Count; i++)
        {
            if ((probabilities[i] >= threshold) != (probabilities[i - 1] >= threshold))
            {
                crossings++;
            }
        }

        var alerts = new AlertOptions
        {
            Threshold = threshold,
            ClearThreshold = threshold,
            RaiseCount = 1,
            WindowCount = 1,
            ClearCount = 1,
            CooldownSeconds = 0,
        };
        return (alerts, probabilities.Count > 1 ? (double)crossings / (probabilities.Count - 1) : 0);
    }

    /// <summary>Describes the alert policy in words for the report.</summary>
    internal static string DescribePolicy(AlertOptions alerts) => string.Create(
        CultureInfo.InvariantCulture,
        $"raise at {alerts.RaiseCount} of {alerts.WindowCount} window(s) with pain probability >= {alerts.Threshold:G6} "
        + $"(the median over the feed's windows), clear at {alerts.ClearCount} below {alerts.ClearThreshold:G6}, "
        + $"cooldown {alerts.CooldownSeconds} s");

    /// <summary>Creates the folder under which the runs keep their outboxes; returns it and whether
    /// it is a new temporary folder to delete afterwards.</summary>
    internal static (string Root, bool Temporary) OutboxRoot(BenchOptions options)
    {
        if (options.OutboxDirectory.Length > 0)
        {
            var root = Path.GetFullPath(options.OutboxDirectory);
            Directory.CreateDirectory(root);
            return (root, false);
        }

        var temporary = Path.Combine(Path.GetTempPath(), $"ssdedge-bench-{Guid.NewGuid():N}");
        Directory.CreateDirectory(temporary);
        return (temporary, true);
    }

    /// <summary>Returns the figures every run reports, by name, units in the names.</summary>
    internal static Dictionary<string, double> Figures(BrokerRunResult run)
    {
        var figures = new Dictionary<string, double>(StringComparer.Ordinal)
        {
            ["devices"] = run.Devices,
            ["measuredSeconds"] = run.MeasuredSeconds,
            ["messagesSent"] = run.MessagesSent,
            ["samplesSent"] = run.SamplesSent,
            ["samplesIn"] = run.SamplesIn,
            ["samplesDropped"] = run.SamplesDropped,
            ["messagesRejected"] = run.MessagesRejected,
            ["samplesBehind"] = run.SamplesBehind,
            ["windows"] = run.WindowsExpected,
            ["windowMessagesReceived"] = run.WindowsReceived,
            ["alerts"] = run.AlertsExpected,
            ["alertMessagesReceived"] = run.AlertsReceived,
            ["duplicateMessages"] = run.Duplicates,
            ["cpuPercentOfOneCore"] = run.CpuPercentOfOneCore,
            ["cpuPercentOfMachine"] = run.CpuPercentOfMachine,
        };
        Add(figures, "window", run.Window);
        Add(figures, "alert", run.Alert);
        Add(figures, "alertStore", run.AlertStore);
        return figures;
    }

    private static void Add(Dictionary<string, double> figures, string name, LatencySummary? latency)
    {
        if (latency is null)
        {
            return;
        }

        figures[$"{name}P50Ms"] = latency.P50Ms;
        figures[$"{name}P90Ms"] = latency.P90Ms;
        figures[$"{name}P99Ms"] = latency.P99Ms;
        figures[$"{name}MaxMs"] = latency.MaxMs;
    }

    private sealed class ProbabilitySink(int positiveClassIndex) : IWindowSink
    {
        public List<double> Probabilities { get; } = [];

        public void Write(WindowResult result)
        {
            if (result.Outcome == WindowOutcome.Scored && positiveClassIndex < result.Probabilities.Count)
            {
                Probabilities.Add(result.Probabilities[positiveClassIndex]);
            }
        }

        public void Complete(RunSummary summary)
        {
        }
    }
}
