using System.Globalization;
using Microsoft.Extensions.Logging;
using SsdEdge.EdgeAgent.Inference;

namespace SsdEdge.EdgeAgent.Bench;

/// <summary>
/// Devices one agent serves through a real broker: the device counts of
/// <see cref="BenchOptions.BrokerSteps"/> in turn, each for a warm-up and
/// <see cref="BenchOptions.BrokerSeconds"/>, stopping at the first step that drops, rejects or
/// leaves behind any sample, loses a message, or whose window or alert p99 end-to-end latency is
/// not under <see cref="BenchOptions.MaxP99Ms"/>.
/// </summary>
internal sealed class BrokerCapacityBench(ILoggerFactory loggers) : IExternalBench
{
    /// <inheritdoc />
    public string Name => ExternalSectionNames.BrokerCapacity;

    /// <inheritdoc />
    public async Task<ExternalSection> RunAsync(BenchContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var options = context.Options;
        if (!options.RunCapacity)
        {
            return new ExternalSection(Name, false, "skipped with --no-capacity", new Dictionary<string, double>());
        }

        var logger = loggers.CreateLogger<BrokerCapacityBench>();
        using var model = OnnxModel.Load(context.ModelPath, options.Threads);
        var (alerts, _) = BrokerBenches.CalibrateAlerts(model, context.Feed, options.HopSeconds, logger);
        var (root, temporary) = BrokerBenches.OutboxRoot(options);
        try
        {
            var setup = new BrokerSetup(model, context.Feed, options, alerts, root, loggers, logger);
            var rows = new List<ExternalRow>();
            var capacity = 0;
            var broker = "";
            foreach (var devices in options.BrokerSteps)
            {
                BenchLog.CapacityStepStarting(logger, devices, options.BrokerSeconds);
                var run = await BrokerRun.RunAsync(setup, devices, options.BrokerSeconds, cancellationToken);
                broker = run.Broker;
                var failure = run.Failure(options.MaxP99Ms);
                BenchLog.BrokerRunFinished(
                    logger,
                    devices,
                    run.Window?.P99Ms ?? double.NaN,
                    run.Alert?.P99Ms ?? double.NaN,
                    run.SamplesDropped + run.MessagesRejected);
                var figures = BrokerBenches.Figures(run);
                figures["messagesLost"] = run.MessagesLost;
                rows.Add(new ExternalRow(
                    string.Create(CultureInfo.InvariantCulture, $"{devices} devices"), failure is null, failure, figures));
                if (failure is not null)
                {
                    break;
                }

                capacity = devices;
            }

            var summary = new Dictionary<string, double>(StringComparer.Ordinal)
            {
                ["capacityDevices"] = capacity,
                ["maxP99Ms"] = options.MaxP99Ms,
                ["stepsRun"] = rows.Count,
            };
            return new ExternalSection(Name, true, null, summary)
            {
                Rows = rows,
                Details = new Dictionary<string, string>(StringComparer.Ordinal)
                {
                    ["broker"] = broker,
                    ["outbox"] = $"{root}: {DiskInfo.Describe(root)}",
                    ["alertPolicy"] = BrokerBenches.DescribePolicy(alerts),
                    ["devices"] = EndToEndBench.DescribeDevices(context.Feed, options.BrokerSteps[^1], options),
                    ["passes"] = string.Create(
                        CultureInfo.InvariantCulture,
                        $"no sample dropped, rejected or left unprocessed, no message lost, window and alert p99 under {options.MaxP99Ms} ms"),
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
}
