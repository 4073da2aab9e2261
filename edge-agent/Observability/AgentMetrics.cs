using System.Collections.Concurrent;
using SsdEdge.EdgeAgent.Delivery;
using SsdEdge.EdgeAgent.Pipeline;
using SsdEdge.EdgeAgent.Sources;
using SsdEdge.EdgeAgent.Sources.Serial;

namespace SsdEdge.EdgeAgent.Observability;

/// <summary>
/// The agent's metrics: window, alert and publish counters recorded here, plus the ingest counters,
/// serial ports, MQTT source, outbox and health read at each scrape.
/// </summary>
/// <remarks>Thread-safe.</remarks>
public sealed class AgentMetrics
{
    /// <summary>Bucket bounds of the inference latency histogram, in seconds.</summary>
    public static readonly IReadOnlyList<double> InferenceBuckets =
        [0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1];

    /// <summary>Bucket bounds of the alert latency histogram, in seconds.</summary>
    public static readonly IReadOnlyList<double> AlertBuckets =
        [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300];

    private readonly ConcurrentDictionary<(string Device, WindowOutcome Outcome), Counter> _windows = new();
    private readonly ConcurrentDictionary<(string Device, string Type), Counter> _alerts = new();
    private readonly ConcurrentDictionary<OutboxKind, Counter> _published = new();
    private readonly IngestCounters _ingest;
    private readonly HealthMonitor _health;

    /// <summary>Creates the metrics over the shared ingest counters and health monitor.</summary>
    public AgentMetrics(IngestCounters ingest, HealthMonitor health)
    {
        ArgumentNullException.ThrowIfNull(ingest);
        ArgumentNullException.ThrowIfNull(health);
        _ingest = ingest;
        _health = health;
    }

    /// <summary>Health monitor whose state is reported, and whose watched sources are read.</summary>
    public HealthMonitor Health => _health;

    /// <summary>Inference time per scored window.</summary>
    public Histogram InferenceLatency { get; } = new(InferenceBuckets);

    /// <summary>Time from the last sample of an alert's window reaching the agent to the broker's
    /// PUBACK of the alert.</summary>
    public Histogram AlertLatency { get; } = new(AlertBuckets);

    /// <summary>Outbox whose depth and drops are reported, once delivery is set up.</summary>
    public Outbox? Outbox { get; set; }

    /// <summary>Counts one window and, when the model ran, its inference time.</summary>
    public void RecordWindow(WindowResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        _windows.GetOrAdd((result.DeviceId, result.Outcome), _ => new Counter()).Increment();
        if (result.LatencyMs is { } latency)
        {
            InferenceLatency.Observe(latency / 1000);
        }
    }

    /// <summary>Counts one raise or clear event.</summary>
    public void RecordAlert(string deviceId, string type) =>
        _alerts.GetOrAdd((deviceId, type), _ => new Counter()).Increment();

    /// <summary>Counts one message the broker acknowledged.</summary>
    public void RecordPublished(OutboxKind kind) => _published.GetOrAdd(kind, _ => new Counter()).Increment();

    /// <summary>Messages of <paramref name="kind"/> the broker acknowledged so far.</summary>
    public long Published(OutboxKind kind) => _published.TryGetValue(kind, out var counter) ? counter.Value : 0;

    /// <summary>Renders every metric in the Prometheus text format.</summary>
    public string Render()
    {
        var writer = new PrometheusTextWriter();
        WriteIngest(writer);
        WriteSerialPorts(writer);
        WriteMqttSource(writer);
        WriteWindows(writer);

        writer.Family(
            "ssdedge_inference_latency_seconds", "histogram", "Model inference time per scored window.");
        writer.Histogram("ssdedge_inference_latency_seconds", InferenceLatency);

        writer.Family("ssdedge_alerts_total", "counter", "Alert events raised and cleared, by device and type.");
        foreach (var ((device, type), counter) in _alerts.OrderBy(pair => pair.Key))
        {
            writer.Sample("ssdedge_alerts_total", counter.Value, ("device", device), ("type", type));
        }

        writer.Family(
            "ssdedge_alert_latency_seconds",
            "histogram",
            "Time from the last sample of an alert's window reaching the agent to the broker's PUBACK.");
        writer.Histogram("ssdedge_alert_latency_seconds", AlertLatency);

        WriteDelivery(writer);
        WriteHealth(writer);
        return writer.ToString();
    }

    private void WriteIngest(PrometheusTextWriter writer)
    {
        var devices = _ingest.Devices();
        writer.Family("ssdedge_samples_received_total", "counter", "Samples per channel received, by device.");
        foreach (var device in devices)
        {
            writer.Sample("ssdedge_samples_received_total", _ingest.Received(device), ("device", device));
        }

        writer.Family(
            "ssdedge_ingest_rejected_total", "counter", "Input dropped before windowing, by device and cause.");
        foreach (var (device, cause, count) in _ingest.RejectedSnapshot())
        {
            writer.Sample("ssdedge_ingest_rejected_total", count, ("device", device), ("cause", cause.ToString()));
        }

        var gaps = _ingest.GapSnapshot();
        writer.Family("ssdedge_ingest_gaps_total", "counter", "Jumps in a device's sample counter.");
        foreach (var (device, count, _, _) in gaps)
        {
            writer.Sample("ssdedge_ingest_gaps_total", count, ("device", device));
        }

        writer.Family(
            "ssdedge_ingest_missing_samples_total", "counter", "Samples skipped over in a device's gaps.");
        foreach (var (device, _, missing, _) in gaps)
        {
            writer.Sample("ssdedge_ingest_missing_samples_total", missing, ("device", device));
        }

        writer.Family(
            "ssdedge_windows_lost_to_gaps_total",
            "counter",
            "Windows a continuous stream would have ended that a device's gaps cost.");
        foreach (var (device, _, _, windowsLost) in gaps)
        {
            writer.Sample("ssdedge_windows_lost_to_gaps_total", windowsLost, ("device", device));
        }

        var mismatches = _ingest.RateMismatchSnapshot();
        writer.Family(
            "ssdedge_rate_mismatch_episodes_total",
            "counter",
            "Episodes in which a device's measured sample rate left the tolerance around its nominal rate.");
        foreach (var (device, episodes, _) in mismatches)
        {
            writer.Sample("ssdedge_rate_mismatch_episodes_total", episodes, ("device", device));
        }

        writer.Family(
            "ssdedge_rate_mismatch_active", "gauge", "1 while a device's rate mismatch is going on, else 0.");
        foreach (var (device, _, active) in mismatches)
        {
            writer.Sample("ssdedge_rate_mismatch_active", active ? 1 : 0, ("device", device));
        }
    }

    private void WriteSerialPorts(PrometheusTextWriter writer)
    {
        var ports = _health.SerialSources.Select(source => (Status: source.Status, Age: source.LastDataAge)).ToList();
        writer.Family("ssdedge_serial_port_state", "gauge", "1 for the current state of a device's serial port.");
        foreach (var (status, _) in ports)
        {
            foreach (var state in Enum.GetValues<SerialPortState>())
            {
                writer.Sample(
                    "ssdedge_serial_port_state",
                    status.State == state ? 1 : 0,
                    ("device", status.DeviceId),
                    ("port", status.Port),
                    ("state", state.ToString().ToLowerInvariant()));
            }
        }

        writer.Family(
            "ssdedge_serial_port_reopens_total", "counter", "Times a device's serial port was reopened after it was lost.");
        foreach (var (status, _) in ports)
        {
            writer.Sample("ssdedge_serial_port_reopens_total", status.Reopens, ("device", status.DeviceId));
        }

        writer.Family("ssdedge_serial_bytes_received_total", "counter", "Bytes read from a device's serial port.");
        foreach (var (status, _) in ports)
        {
            writer.Sample("ssdedge_serial_bytes_received_total", status.BytesReceived, ("device", status.DeviceId));
        }

        writer.Family(
            "ssdedge_serial_last_data_age_seconds",
            "gauge",
            "Seconds since the latest byte from a device's serial port; absent before the first byte.");
        foreach (var (status, age) in ports)
        {
            if (age is { } elapsed)
            {
                writer.Sample(
                    "ssdedge_serial_last_data_age_seconds", elapsed.TotalSeconds, ("device", status.DeviceId));
            }
        }
    }

    // The agent runs at most one MQTT source, so these series carry no labels.
    private void WriteMqttSource(PrometheusTextWriter writer)
    {
        var status = _health.MqttSources.Count > 0 ? _health.MqttSources[0].Status : null;
        writer.Family(
            "ssdedge_mqtt_ingest_connected",
            "gauge",
            "1 while the MQTT source is connected and subscribed, else 0; absent without an MQTT source.");
        writer.Family(
            "ssdedge_mqtt_ingest_reconnects_total",
            "counter",
            "Times the MQTT source connected again after its first connection.");
        if (status is not null)
        {
            writer.Sample("ssdedge_mqtt_ingest_connected", status.Connected ? 1 : 0);
            writer.Sample("ssdedge_mqtt_ingest_reconnects_total", status.Reconnects);
        }
    }

    private void WriteWindows(PrometheusTextWriter writer)
    {
        writer.Family(
            "ssdedge_windows_total",
            "counter",
            "Windows by device and outcome: scored, rejected_by_quality_gate or non_finite_output.");
        foreach (var ((device, outcome), counter) in _windows.OrderBy(pair => pair.Key))
        {
            writer.Sample("ssdedge_windows_total", counter.Value, ("device", device), ("outcome", OutcomeLabel(outcome)));
        }
    }

    private void WriteDelivery(PrometheusTextWriter writer)
    {
        writer.Family("ssdedge_published_total", "counter", "Messages the broker acknowledged, by kind.");
        foreach (var (kind, counter) in _published.OrderBy(pair => pair.Key))
        {
            writer.Sample("ssdedge_published_total", counter.Value, ("kind", KindLabel(kind)));
        }

        writer.Family("ssdedge_outbox_messages", "gauge", "Messages waiting in the outbox, by kind.");
        writer.Family("ssdedge_outbox_dropped_total", "counter", "Messages the outbox dropped, by kind and cause.");
        writer.Family("ssdedge_outbox_torn_files_total", "counter", "Torn outbox files skipped at start.");
        if (Outbox is { } outbox)
        {
            var total = outbox.Count;
            var alerts = outbox.AlertCount;
            writer.Sample("ssdedge_outbox_messages", alerts, ("kind", "alert"));
            writer.Sample("ssdedge_outbox_messages", total - alerts, ("kind", "other"));
            foreach (var (kind, cause, count) in outbox.DroppedSnapshot())
            {
                writer.Sample(
                    "ssdedge_outbox_dropped_total", count, ("kind", KindLabel(kind)), ("cause", CauseLabel(cause)));
            }

            writer.Sample("ssdedge_outbox_torn_files_total", outbox.TornFiles);
        }

        writer.Family("ssdedge_broker_connected", "gauge", "1 while connected to the broker, else 0.");
        writer.Sample("ssdedge_broker_connected", _health.Broker == BrokerState.Connected ? 1 : 0);
        writer.Family("ssdedge_broker_state", "gauge", "1 for the current broker connection state.");
        foreach (var state in Enum.GetValues<BrokerState>())
        {
            writer.Sample(
                "ssdedge_broker_state", _health.Broker == state ? 1 : 0, ("state", state.ToString().ToLowerInvariant()));
        }
    }

    private void WriteHealth(PrometheusTextWriter writer)
    {
        var report = _health.Evaluate();
        writer.Family("ssdedge_health", "gauge", "1 for the current health state.");
        foreach (var state in Enum.GetValues<HealthState>())
        {
            writer.Sample("ssdedge_health", report.State == state ? 1 : 0, ("state", state.ToString().ToLowerInvariant()));
        }
    }

    internal static string OutcomeLabel(WindowOutcome outcome) => outcome switch
    {
        WindowOutcome.Scored => "scored",
        WindowOutcome.RejectedByQualityGate => "rejected_by_quality_gate",
        WindowOutcome.NonFiniteOutput => "non_finite_output",
        _ => outcome.ToString(),
    };

    internal static string KindLabel(OutboxKind kind) => kind.ToString().ToLowerInvariant();

    private static string CauseLabel(OutboxDropCause cause) => cause switch
    {
        OutboxDropCause.Full => "full",
        OutboxDropCause.RejectedByBroker => "rejected_by_broker",
        _ => cause.ToString(),
    };

    private sealed class Counter
    {
        private long _value;

        public long Value => Interlocked.Read(ref _value);

        public void Increment() => Interlocked.Increment(ref _value);
    }
}
