using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using SsdEdge.EdgeAgent.Alerts;
using SsdEdge.EdgeAgent.Delivery;
using SsdEdge.EdgeAgent.Inference;
using SsdEdge.EdgeAgent.Observability;
using SsdEdge.EdgeAgent.Output;
using SsdEdge.EdgeAgent.Pipeline;
using SsdEdge.EdgeAgent.Sources;
using SsdEdge.EdgeAgent.Sources.Mqtt;

namespace SsdEdge.EdgeAgent.Bench;

/// <summary>
/// The agent's live MQTT path, built from its own parts the way its service builds them:
/// <see cref="MqttSampleSource"/> read on one task into a bounded queue of
/// <see cref="AgentService.QueueCapacity"/> blocks, one consumer that feeds a
/// <see cref="DevicePipeline"/> per device (with the rate check of a live source) through one
/// <see cref="InferenceEngine"/>, the <see cref="AlertSink"/>, the durable <see cref="Outbox"/>, and the
/// <see cref="MqttPublisher"/> at QoS 1.
/// </summary>
internal sealed class BrokerAgent : IAsyncDisposable
{
    /// <summary>Agent id, the second level of every topic the agent publishes.</summary>
    public const string AgentId = "bench";

    private static readonly TimeSpan ReadyTimeout = TimeSpan.FromSeconds(15);

    private readonly OnnxModel _model;
    private readonly double _hopSeconds;
    private readonly MqttSampleSource _source;
    private readonly MqttPublisher _publisher;
    private readonly CancellationTokenSource _stop = new();
    private readonly AgentOptions _agentOptions = new();
    private readonly ILogger _pipelineLogger;
    private Task? _run;

    public BrokerAgent(
        OnnxModel model,
        string host,
        int port,
        string outboxDirectory,
        AlertOptions alerts,
        double hopSeconds,
        int maxDevices,
        ILoggerFactory loggers)
    {
        _model = model;
        _hopSeconds = hopSeconds;
        _pipelineLogger = loggers.CreateLogger<DevicePipeline>();
        var contract = model.Contract;
        var mqtt = new MqttOptions
        {
            Host = host,
            Port = port,
            ClientId = $"ssdedge-{AgentId}-ingest",
            MaxDevices = Math.Clamp(maxDevices, 1, MqttOptions.MaxMaxDevices),
        };
        _source = new MqttSampleSource(
            mqtt,
            [.. contract.Channels.Select(channel => channel.Name)],
            contract.ModelRateHz,
            _ => Task.FromResult((host, port)),
            Counters,
            TimeProvider.System,
            loggers.CreateLogger<MqttSampleSource>());

        var publish = new PublishOptions
        {
            Host = host,
            Port = port,
            AgentId = AgentId,
            OutboxDirectory = outboxDirectory,
            DrainSeconds = 0,
        };
        Outbox = Outbox.Open(outboxDirectory, publish.OutboxCapacity, loggers.CreateLogger<Outbox>());
        var health = new HealthMonitor(Counters, new HealthOptions())
        {
            Outbox = (Outbox, publish.OutboxBacklogWarning),
        };
        var metrics = new AgentMetrics(Counters, health) { Outbox = Outbox };
        var registry = new DeviceRegistry();
        var alertSink = new AlertSink(
            alerts,
            publish,
            contract,
            Outbox,
            metrics,
            health,
            registry,
            TimeProvider.System,
            loggers.CreateLogger<AlertSink>());
        Probe = new DeliveryProbe(alertSink);
        _publisher = new MqttPublisher(
            publish, Outbox, health, metrics, registry, TimeProvider.System, loggers.CreateLogger<MqttPublisher>())
        {
            ModelId = contract.ModelId,
        };
    }

    /// <summary>Dropped input, gaps and samples received, by device.</summary>
    public IngestCounters Counters { get; } = new();

    /// <summary>Arrival times of windows and the latencies of their messages.</summary>
    public DeliveryProbe Probe { get; }

    /// <summary>The outbox the alert sink writes and the publisher empties.</summary>
    public Outbox Outbox { get; }

    /// <summary>Windows scored, skipped and their latencies inside the agent.</summary>
    public RunStatistics Statistics { get; } = new();

    /// <summary>Starts ingest and publishing and waits until both are connected to the broker.</summary>
    /// <exception cref="TimeoutException">Either did not connect in time.</exception>
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await _publisher.StartAsync(cancellationToken);
        _run = Task.Run(() => RunAsync(_stop.Token), CancellationToken.None);
        var deadline = DateTime.UtcNow + ReadyTimeout;
        while (!(_source.IsSubscribed && _publisher.IsConnected))
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException(
                    $"The agent did not connect to the broker within {ReadyTimeout.TotalSeconds} s "
                    + $"(ingest subscribed: {_source.IsSubscribed}, publisher connected: {_publisher.IsConnected}).");
            }

            await Task.Delay(20, cancellationToken);
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        if (_run is not null)
        {
            await _run;
        }

        await _publisher.StopAsync(CancellationToken.None);
        _publisher.Dispose();
        Outbox.Dispose();
        _stop.Dispose();
    }

    // The service's structure: a pump from the source into a bounded queue and one consumer.
    private async Task RunAsync(CancellationToken cancellationToken)
    {
        var queue = Channel.CreateBounded<SampleBlock>(new BoundedChannelOptions(AgentService.QueueCapacity)
        {
            SingleReader = true,
            FullMode = BoundedChannelFullMode.Wait,
        });
        var pump = Task.Run(
            async () =>
            {
                try
                {
                    await foreach (var block in _source.ReadAsync(cancellationToken))
                    {
                        await queue.Writer.WriteAsync(block, cancellationToken);
                    }
                }
                catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
                {
                    // The run is over.
                }
                finally
                {
                    queue.Writer.TryComplete();
                }
            },
            CancellationToken.None);

        using var engine = _model.CreateEngine();
        var sinks = new IWindowSink[] { Probe };
        var pipelines = new Dictionary<string, DevicePipeline>(StringComparer.Ordinal);
        await foreach (var block in queue.Reader.ReadAllAsync(CancellationToken.None))
        {
            var deviceId = block.Device.DeviceId;
            if (!pipelines.TryGetValue(deviceId, out var pipeline))
            {
                var monitor = new RateMonitor(
                    block.Device.SamplingRateHz, _agentOptions.RateCheckSeconds, _agentOptions.RateTolerance);
                pipeline = new DevicePipeline(
                    block.Device,
                    _model.Contract,
                    engine,
                    _hopSeconds,
                    sinks,
                    Statistics,
                    Counters,
                    monitor,
                    _pipelineLogger);
                pipelines.Add(deviceId, pipeline);
            }

            Counters.AddReceived(deviceId, block.FrameCount, block.ReceivedTimestamp);
            pipeline.Process(block);
        }

        await pump;
    }
}
