using Microsoft.Extensions.Logging;
using SsdEdge.Contracts;
using SsdEdge.EdgeAgent.Alerts;
using SsdEdge.EdgeAgent.Delivery;
using SsdEdge.EdgeAgent.Observability;
using SsdEdge.EdgeAgent.Pipeline;
using SsdEdge.EdgeAgent.Sources;
using SsdEdge.EdgeAgent.Tests.Support;
using SsdEdge.Preprocessing;
using SsdEdge.Signals;

namespace SsdEdge.EdgeAgent.Tests.Delivery;

/// <summary>The alert sink, outbox, health monitor, metrics and publisher wired as the agent wires
/// them, against a broker on a given port.</summary>
public sealed class DeliveryHarness : IAsyncDisposable
{
    private readonly ILoggerFactory _loggerFactory;

    public DeliveryHarness(string outboxDirectory, PublishOptions publish, AlertOptions alerts, int capacity = 10_000)
    {
        Logs = new CollectingLoggerProvider();
        _loggerFactory = LoggerFactory.Create(builder => builder.SetMinimumLevel(LogLevel.Trace).AddProvider(Logs));
        Publish = publish;
        Counters = new IngestCounters();
        Health = new HealthMonitor(Counters, new HealthOptions());
        Metrics = new AgentMetrics(Counters, Health);
        Registry = new DeviceRegistry();
        Outbox = Outbox.Open(outboxDirectory, capacity, _loggerFactory.CreateLogger<Outbox>());
        Health.Outbox = (Outbox, publish.OutboxBacklogWarning);
        Metrics.Outbox = Outbox;
        Sink = new AlertSink(
            alerts,
            publish,
            Contract,
            Outbox,
            Metrics,
            Health,
            Registry,
            TimeProvider.System,
            _loggerFactory.CreateLogger<AlertSink>());
        Publisher = new MqttPublisher(
            publish, Outbox, Health, Metrics, Registry, TimeProvider.System, _loggerFactory.CreateLogger<MqttPublisher>())
        {
            ModelId = Contract.ModelId,
        };
    }

    public static SignalContract Contract { get; } = new()
    {
        Channels = [new ContractChannel("eda", ChannelKind.Eda, "uS", 100)],
        ModelRateHz = 100,
        WindowSamples = 550,
        Preprocessing = new PreprocessingSpec(),
        ClassLabels = ["no_pain", "pain"],
        PositiveClassIndex = 1,
        ModelId = "delivery-test-model",
    };

    public CollectingLoggerProvider Logs { get; }

    public PublishOptions Publish { get; }

    public IngestCounters Counters { get; }

    public HealthMonitor Health { get; }

    public AgentMetrics Metrics { get; }

    public DeviceRegistry Registry { get; }

    public Outbox Outbox { get; }

    public AlertSink Sink { get; }

    public MqttPublisher Publisher { get; }

    /// <summary>Options that flip the alert on every window: 0.9 raises, 0.1 clears.</summary>
    public static AlertOptions FlippingAlerts() => new()
    {
        Threshold = 0.5,
        ClearThreshold = 0.5,
        RaiseCount = 1,
        WindowCount = 1,
        ClearCount = 1,
        CooldownSeconds = 0,
    };

    public static PublishOptions FastPublish(int port, string agentId = "test-agent") => new()
    {
        Port = port,
        AgentId = agentId,
        ClientId = $"ssdedge-{agentId}-{Guid.NewGuid():N}",
        PublishTimeoutSeconds = 1,
        ProbeIntervalSeconds = 0.5,
        MaxReconnectDelaySeconds = 1,
        DrainSeconds = 2,
        WindowOutputs = false,
    };

    /// <summary>A scored window of one device with the given pain probability, received now.</summary>
    public static WindowResult Window(string deviceId, int index, double probability, double quality = 1) =>
        new(
            deviceId,
            550 + (index * 100),
            5.5 + index,
            WindowOutcome.Scored,
            new QualityReport(QualityIssues.None, -1, 0, quality),
            null,
            [(float)(1 - probability), (float)probability],
            probability >= 0.5,
            2.0)
        {
            LastSampleReceivedTimestamp = System.Diagnostics.Stopwatch.GetTimestamp(),
        };

    /// <summary>Ids of every raise and clear the sink logged.</summary>
    public IReadOnlyList<string> LoggedAlertIds() =>
        Logs.Entries
            .Where(entry => entry.EventId is 2300 or 2301)
            .Select(entry => entry.Message[(entry.Message.LastIndexOf("event ", StringComparison.Ordinal) + 6)..])
            .ToList();

    public async ValueTask DisposeAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(15));
        await Publisher.StopAsync(timeout.Token);
        Publisher.Dispose();
        Outbox.Dispose();
        _loggerFactory.Dispose();
        Logs.Dispose();
    }
}
