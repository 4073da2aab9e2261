using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.Logging;
using MQTTnet;
using MQTTnet.Protocol;
using SsdEdge.EdgeAgent.Alerts;
using SsdEdge.EdgeAgent.Inference;
using SsdEdge.EdgeAgent.Sources;
using SsdEdge.EdgeAgent.Sources.Mqtt;
using SsdEdge.Preprocessing;

namespace SsdEdge.EdgeAgent.Bench;

/// <summary>What every run through the broker shares.</summary>
/// <param name="Model">Loaded model; each run opens its own engine on it.</param>
/// <param name="Feed">Frames the devices send.</param>
/// <param name="Options">Options of the benchmark.</param>
/// <param name="Alerts">Alert policy of the agent.</param>
/// <param name="OutboxRoot">Folder under which each run gets its own outbox.</param>
/// <param name="Loggers">Loggers of the agent's parts.</param>
/// <param name="Logger">Progress of the benchmark.</param>
internal sealed record BrokerSetup(
    OnnxModel Model,
    SyntheticFeed Feed,
    BenchOptions Options,
    AlertOptions Alerts,
    string OutboxRoot,
    ILoggerFactory Loggers,
    ILogger Logger);

/// <summary>Figures of one run of devices through the broker and the agent.</summary>
internal sealed record BrokerRunResult(
    int Devices,
    double MeasuredSeconds,
    string Broker,
    long MessagesSent,
    long SamplesSent,
    long PublishFailures,
    long SamplesIn,
    long SamplesDropped,
    long MessagesRejected,
    long SamplesBehind,
    long WindowsExpected,
    long WindowsReceived,
    long AlertsExpected,
    long AlertsReceived,
    long Duplicates,
    LatencySummary? Window,
    LatencySummary? Alert,
    LatencySummary? AlertStore,
    double CpuPercentOfOneCore,
    double CpuPercentOfMachine,
    string DropDetail)
{
    /// <summary>Window and alert messages of measured windows that never arrived.</summary>
    public long MessagesLost => (WindowsExpected - WindowsReceived) + (AlertsExpected - AlertsReceived);

    /// <summary>Why the run fails the limits, or null when it passes: anything dropped, rejected,
    /// left unprocessed or lost, no window at all, or a p99 not under <paramref name="maxP99Ms"/>.</summary>
    public string? Failure(double maxP99Ms)
    {
        var problems = new List<string>();
        if (SamplesDropped > 0 || MessagesRejected > 0)
        {
            problems.Add($"{SamplesDropped} sample(s) dropped and {MessagesRejected} message(s) rejected ({DropDetail})");
        }

        if (PublishFailures > 0)
        {
            problems.Add($"{PublishFailures} device publish(es) failed");
        }

        if (SamplesBehind > 0)
        {
            problems.Add($"{SamplesBehind} sample(s) per channel sent but not processed by the end");
        }

        if (MessagesLost > 0)
        {
            problems.Add($"{MessagesLost} alert or window message(s) not received");
        }

        if (Window is null)
        {
            problems.Add("no window was measured");
        }
        else if (!(Window.P99Ms < maxP99Ms))
        {
            problems.Add(string.Create(
                CultureInfo.InvariantCulture, $"window p99 {Window.P99Ms:F1} ms is not under {maxP99Ms} ms"));
        }

        if (Alert is not null && !(Alert.P99Ms < maxP99Ms))
        {
            problems.Add(string.Create(
                CultureInfo.InvariantCulture, $"alert p99 {Alert.P99Ms:F1} ms is not under {maxP99Ms} ms"));
        }

        return problems.Count == 0 ? null : string.Join("; ", problems);
    }
}

/// <summary>
/// One run: a broker (embedded, or the external one of the options), the agent's MQTT path, a
/// subscriber to the agent's alert and window topics, and devices publishing in real time; all in
/// this process, so the device's arrival time and the subscriber's receive time share one clock.
/// </summary>
internal static class BrokerRun
{
    /// <summary>Runs <paramref name="devices"/> devices through warm-up and then
    /// <paramref name="measureSeconds"/> of measurement.</summary>
    public static async Task<BrokerRunResult> RunAsync(
        BrokerSetup setup,
        int devices,
        double measureSeconds,
        CancellationToken cancellationToken)
    {
        var options = setup.Options;
        var contract = setup.Model.Contract;
        var rawWindow = new WindowPreprocessor(contract, setup.Feed.RateHz).RawWindowSamples;
        var hopSamples = Math.Max(1, (int)Math.Round(options.HopSeconds * setup.Feed.RateHz));

        // A smoke run sends the start of the first window at once so that it ends within seconds;
        // a real run warms up in real time: every device's first window plus one hop.
        var fill = options.Smoke ? Math.Max(0, rawWindow - hopSamples) : 0;
        var warmupSeconds = options.Smoke
            ? 0
            : (2 * options.HopSeconds) + (rawWindow / setup.Feed.RateHz) + 0.5;

        EmbeddedMqttBroker? embedded = null;
        string host;
        int port;
        string broker;
        if (options.BrokerHost.Length == 0)
        {
            embedded = new EmbeddedMqttBroker(0, setup.Loggers.CreateLogger<EmbeddedMqttBroker>());
            await embedded.StartAsync(cancellationToken);
            (host, port) = await embedded.GetEndpointAsync(cancellationToken);
            broker = $"embedded MQTTnet broker on {host}:{port}";
        }
        else
        {
            (host, port) = (options.BrokerHost, options.BrokerPort);
            broker = $"external broker at {host}:{port}";
        }

        var outbox = Path.Combine(setup.OutboxRoot, $"run-{devices}-{Guid.NewGuid():N}");
        try
        {
            var agent = new BrokerAgent(
                setup.Model, host, port, outbox, setup.Alerts, options.HopSeconds, devices, setup.Loggers);
            await using (agent)
            {
                await agent.StartAsync(cancellationToken);
                using var subscriber = await SubscribeAsync(host, port, agent.Probe, cancellationToken);
                var fleet = new DeviceFleet(setup.Feed, devices, options.HopSeconds, fill);
                await using (fleet)
                {
                    await fleet.ConnectAsync(host, port, cancellationToken);
                    return await MeasureAsync(
                        setup, agent, fleet, broker, devices, warmupSeconds, measureSeconds, cancellationToken);
                }
            }
        }
        finally
        {
            if (embedded is not null)
            {
                await embedded.StopAsync(CancellationToken.None);
                await embedded.DisposeAsync();
            }

            TryDelete(outbox);
        }
    }

    private static async Task<BrokerRunResult> MeasureAsync(
        BrokerSetup setup,
        BrokerAgent agent,
        DeviceFleet fleet,
        string broker,
        int devices,
        double warmupSeconds,
        double measureSeconds,
        CancellationToken cancellationToken)
    {
        var frequency = Stopwatch.Frequency;
        var start = Stopwatch.GetTimestamp();
        var measureStart = start + (long)(warmupSeconds * frequency);
        var measureEnd = measureStart + (long)(measureSeconds * frequency);
        agent.Probe.Measure(measureStart, measureEnd);

        using var process = Process.GetCurrentProcess();
        var cpuAtStart = TimeSpan.Zero;
        var cpuWatch = Task.Run(
            async () =>
            {
                var wait = Stopwatch.GetElapsedTime(Stopwatch.GetTimestamp(), measureStart);
                if (wait > TimeSpan.Zero)
                {
                    await Task.Delay(wait, cancellationToken);
                }

                process.Refresh();
                cpuAtStart = process.TotalProcessorTime;
            },
            cancellationToken);

        await fleet.RunAsync(warmupSeconds + measureSeconds, cancellationToken);
        await cpuWatch;
        process.Refresh();
        var cpuSeconds = (process.TotalProcessorTime - cpuAtStart).TotalSeconds;
        var wallSeconds = Stopwatch.GetElapsedTime(measureStart).TotalSeconds;

        await WaitForDeliveryAsync(agent, fleet, setup.Options.Smoke, cancellationToken);

        var probe = agent.Probe;
        var (windowMs, alertMs, storeMs) = probe.Latencies();
        var counters = agent.Counters;
        long bufferFull = 0;
        long rejected = 0;
        var detail = new List<string>();
        foreach (var (_, cause, count) in counters.RejectedSnapshot())
        {
            if (cause == IngestRejection.BufferFull)
            {
                bufferFull += count;
            }
            else
            {
                rejected += count;
            }
        }

        foreach (var group in counters.RejectedSnapshot().GroupBy(entry => entry.Cause))
        {
            detail.Add($"{group.Key} {group.Sum(entry => entry.Count)}");
        }

        var gaps = counters.GapSnapshot();
        var missing = gaps.Sum(entry => entry.MissingSamples);
        if (gaps.Count > 0)
        {
            detail.Add($"{gaps.Sum(entry => entry.Gaps)} gap(s) of {missing} sample(s)");
        }

        // A block dropped for a full buffer shows up again as a gap once the next block arrives,
        // so the larger of the two counts the samples lost without counting any twice.
        var lost = Math.Max(bufferFull, missing);
        var samplesIn = counters.Devices().Sum(counters.Received);
        var percentOfOneCore = 100 * cpuSeconds / wallSeconds;
        return new BrokerRunResult(
            devices,
            measureSeconds,
            broker,
            fleet.MessagesSent,
            fleet.SamplesSent,
            fleet.PublishFailures,
            samplesIn,
            lost,
            rejected,
            Math.Max(0, fleet.SamplesSent - samplesIn - lost),
            probe.WindowsExpected,
            probe.WindowsReceived,
            probe.AlertsExpected,
            probe.AlertsReceived,
            probe.Duplicates,
            Summarise(windowMs),
            Summarise(alertMs),
            Summarise(storeMs),
            percentOfOneCore,
            percentOfOneCore / Environment.ProcessorCount,
            detail.Count == 0 ? "none" : string.Join(", ", detail));
    }

    // Waits until every sample sent has been processed and every measured window's messages have
    // arrived, or the grace time is up; what is still missing then counts against the run.
    private static async Task WaitForDeliveryAsync(
        BrokerAgent agent,
        DeviceFleet fleet,
        bool smoke,
        CancellationToken cancellationToken)
    {
        var grace = TimeSpan.FromSeconds(smoke ? 3 : 10);
        var started = Stopwatch.GetTimestamp();
        var probe = agent.Probe;
        while (Stopwatch.GetElapsedTime(started) < grace)
        {
            var counters = agent.Counters;
            var accounted = counters.Devices().Sum(counters.Received)
                + Math.Max(
                    counters.Rejected(IngestRejection.BufferFull),
                    counters.GapSnapshot().Sum(entry => entry.MissingSamples));
            if (accounted >= fleet.SamplesSent
                && probe.WindowsReceived >= probe.WindowsExpected
                && probe.AlertsReceived >= probe.AlertsExpected)
            {
                return;
            }

            await Task.Delay(50, cancellationToken);
        }
    }

    private static async Task<IMqttClient> SubscribeAsync(
        string host,
        int port,
        DeliveryProbe probe,
        CancellationToken cancellationToken)
    {
        var client = new MqttClientFactory().CreateMqttClient();
        client.ApplicationMessageReceivedAsync += arguments =>
        {
            var received = Stopwatch.GetTimestamp();
            probe.Received(arguments.ApplicationMessage.Topic, arguments.ApplicationMessage.Payload, received);
            return Task.CompletedTask;
        };
        var options = new MqttClientOptionsBuilder()
            .WithTcpServer(host, port)
            .WithClientId("ssdedge-bench-subscriber")
            .WithCleanSession(true)
            .WithTimeout(TimeSpan.FromSeconds(10))
            .Build();
        var connected = await client.ConnectAsync(options, cancellationToken);
        if (connected.ResultCode != MqttClientConnectResultCode.Success)
        {
            client.Dispose();
            throw new InvalidOperationException(
                $"The broker at {host}:{port} refused the subscriber: {connected.ResultCode}.");
        }

        var root = $"ssdedge/{BrokerAgent.AgentId}";
        var subscribe = new MqttClientSubscribeOptionsBuilder()
            .WithTopicFilter(filter => filter.WithTopic($"{root}/+/alert").WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce))
            .WithTopicFilter(filter => filter.WithTopic($"{root}/+/window").WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce))
            .Build();
        var granted = await client.SubscribeAsync(subscribe, cancellationToken);
        if (granted.Items.Any(item => item.ResultCode is not MqttClientSubscribeResultCode.GrantedQoS1))
        {
            client.Dispose();
            throw new InvalidOperationException($"The broker at {host}:{port} did not grant the subscriber QoS 1.");
        }

        return client;
    }

    private static LatencySummary? Summarise(double[] samplesMs) =>
        samplesMs.Length > 0 ? LatencySummary.From(samplesMs) : null;

    private static void TryDelete(string directory)
    {
        try
        {
            if (Directory.Exists(directory))
            {
                Directory.Delete(directory, recursive: true);
            }
        }
        catch (IOException)
        {
            // Left behind, but the report is still valid.
        }
        catch (UnauthorizedAccessException)
        {
            // Left behind, but the report is still valid.
        }
    }
}
