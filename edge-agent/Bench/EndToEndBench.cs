using System.Globalization;
using Microsoft.Extensions.Logging;
using SsdEdge.EdgeAgent.Inference;

namespace SsdEdge.EdgeAgent.Bench;

/// <summary>
/// End-to-end latency through a real broker: from the arrival at the agent of the block holding a
/// window's last sample (<see cref="Sources.SampleBlock.ReceivedTimestamp"/>) to the receipt of the
/// window's message, and of the alert it raised or cleared, by a subscriber on the broker.
/// </summary>
/// <remarks>
/// <see cref="BenchOptions.EndToEndDevices"/> devices publish JSON payloads in real time for the
/// warm-up and <see cref="BenchOptions.EndToEndSeconds"/>; the agent scores every window, stores
/// alerts with fsync, and publishes at QoS 1; the subscriber runs in this process, on the same clock.
/// The alert policy (<see cref="BrokerBenches.CalibrateAlerts"/>) raises or clears whenever the
/// pain probability crosses its median, so alerts are frequent.
/// </remarks>
internal sealed class EndToEndBench(ILoggerFactory loggers) : IExternalBench
{
    private const int FsyncProbes = 50;

    /// <inheritdoc />
    public string Name => ExternalSectionNames.EndToEnd;

    /// <inheritdoc />
    public async Task<ExternalSection> RunAsync(BenchContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var options = context.Options;
        var logger = loggers.CreateLogger<EndToEndBench>();
        using var model = OnnxModel.Load(context.ModelPath, options.Threads);
        var (alerts, eventsPerWindow) = BrokerBenches.CalibrateAlerts(model, context.Feed, options.HopSeconds, logger);
        var (root, temporary) = BrokerBenches.OutboxRoot(options);
        try
        {
            var fsync = DiskInfo.MeasureFsync(root, options.Smoke ? 3 : FsyncProbes);
            var setup = new BrokerSetup(model, context.Feed, options, alerts, root, loggers, logger);
            var run = await BrokerRun.RunAsync(setup, options.EndToEndDevices, options.EndToEndSeconds, cancellationToken);
            BenchLog.BrokerRunFinished(
                logger,
                run.Devices,
                run.Window?.P99Ms ?? double.NaN,
                run.Alert?.P99Ms ?? double.NaN,
                run.SamplesDropped + run.MessagesRejected);

            var figures = BrokerBenches.Figures(run);
            figures["alertThreshold"] = alerts.Threshold;
            figures["feedCrossingsPerWindow"] = eventsPerWindow;
            figures["messagesLost"] = run.MessagesLost;
            if (fsync is not null)
            {
                figures["fsyncP50Ms"] = fsync.P50Ms;
                figures["fsyncP99Ms"] = fsync.P99Ms;
                figures["fsyncMaxMs"] = fsync.MaxMs;
            }

            return new ExternalSection(Name, true, null, figures)
            {
                Details = new Dictionary<string, string>(StringComparer.Ordinal)
                {
                    ["broker"] = run.Broker,
                    ["outbox"] = $"{root}: {DiskInfo.Describe(root)}",
                    ["alertPolicy"] = BrokerBenches.DescribePolicy(alerts),
                    ["devices"] = DescribeDevices(context.Feed, run.Devices, options),
                    ["dropped"] = run.DropDetail,
                    ["fsync"] = string.Create(
                        CultureInfo.InvariantCulture,
                        $"{(options.Smoke ? 3 : FsyncProbes)} writes of 1 KiB to a new file, each with fsync of the file and the folder, in the outbox folder"),
                },
            };
        }
        finally
        {
            if (temporary)
            {
                Directory.Delete(root, recursive: true);
            }
        }
    }

    /// <summary>Describes the simulated devices for the report.</summary>
    internal static string DescribeDevices(SyntheticFeed feed, int devices, BenchOptions options)
    {
        var blockFrames = Math.Max(1, (int)Math.Round(CapacityBench.BlockSeconds * feed.RateHz));
        return string.Create(
            CultureInfo.InvariantCulture,
            $"{devices} device(s), each on its own MQTT connection, {feed.ChannelNames.Count} channel(s) "
            + $"({string.Join(", ", feed.ChannelNames)}) at {feed.RateHz} Hz, JSON payloads of {blockFrames} samples "
            + $"per channel at QoS 0, real-time pace, hop {options.HopSeconds} s, window ends spread over the hop");
    }
}
