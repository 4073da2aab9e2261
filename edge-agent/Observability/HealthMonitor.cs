using System.Diagnostics;
using System.Globalization;
using SsdEdge.EdgeAgent.Delivery;
using SsdEdge.EdgeAgent.Sources;
using SsdEdge.EdgeAgent.Sources.Mqtt;
using SsdEdge.EdgeAgent.Sources.Serial;

namespace SsdEdge.EdgeAgent.Observability;

/// <summary>Overall health of the agent, worst first in severity order.</summary>
public enum HealthState
{
    /// <summary>Everything works.</summary>
    Healthy,

    /// <summary>The agent works, but a source is silent or disconnected, the outbox is backing up,
    /// or the broker is disconnected.</summary>
    Degraded,

    /// <summary>The agent cannot do its job: the model is not loaded or the broker rejects the
    /// agent's credentials.</summary>
    Unhealthy,
}

/// <summary>State of the connection to the broker.</summary>
public enum BrokerState
{
    /// <summary>Publishing is switched off.</summary>
    Disabled,

    /// <summary>No connection yet, or a connection attempt is under way.</summary>
    Connecting,

    /// <summary>Connected.</summary>
    Connected,

    /// <summary>The connection was lost or an attempt failed; the publisher is retrying.</summary>
    Disconnected,

    /// <summary>The broker rejected the CONNECT with bad user name or password, not authorised, banned, bad authentication method or invalid client id.</summary>
    Rejected,
}

/// <summary>Health state and the reasons behind it.</summary>
/// <param name="State">Worst state of any rule.</param>
/// <param name="Reasons">One sentence per rule that is not healthy, worst first.</param>
public sealed record HealthReport(HealthState State, IReadOnlyList<string> Reasons);

/// <summary>
/// Evaluates the health rules: unhealthy while the model is not loaded or the broker rejects the
/// credentials; degraded while a device sent nothing for <see cref="HealthOptions.SilentSourceSeconds"/>,
/// a serial port is not open yet, silent or being reopened, the MQTT source is not connected to its
/// broker, the outbox contains at least <see cref="PublishOptions.OutboxBacklogWarning"/> messages, or
/// the broker is disconnected.
/// </summary>
/// <remarks>The source rules apply only while the agent reads the source: a serial port in
/// <see cref="SerialPortState.Stopped"/> and an MQTT source that is not
/// <see cref="MqttSourceStatus.Running"/> add no reason.</remarks>
/// <remarks>Thread-safe: the publisher and the pipelines report while metrics and status read.</remarks>
public sealed class HealthMonitor
{
    private readonly IngestCounters _counters;
    private readonly HealthOptions _options;
    private readonly IReadOnlyList<SerialSource> _serialSources;
    private readonly IReadOnlyList<MqttSampleSource> _mqttSources;
    private readonly Lock _gate = new();
    private string? _modelId;
    private BrokerState _broker = BrokerState.Disabled;
    private string? _brokerReason;

    /// <summary>Creates the monitor; the model counts as not loaded until
    /// <see cref="ReportModelLoaded"/>.</summary>
    /// <param name="counters">Arrivals per device, for the silent-device rule.</param>
    /// <param name="options">Health settings.</param>
    /// <param name="sources">The agent's sources; serial and MQTT sources among them are watched,
    /// the others are ignored.</param>
    public HealthMonitor(IngestCounters counters, HealthOptions options, IEnumerable<ISampleSource>? sources = null)
    {
        ArgumentNullException.ThrowIfNull(counters);
        ArgumentNullException.ThrowIfNull(options);
        _counters = counters;
        _options = options;
        var all = sources?.ToList() ?? [];
        _serialSources = all.OfType<SerialSource>().ToList();
        _mqttSources = all.OfType<MqttSampleSource>().ToList();
    }

    /// <summary>Watched serial sources, in registration order.</summary>
    public IReadOnlyList<SerialSource> SerialSources => _serialSources;

    /// <summary>Watched MQTT sources, in registration order.</summary>
    public IReadOnlyList<MqttSampleSource> MqttSources => _mqttSources;

    /// <summary>Outbox whose depth is watched, and the depth that degrades health.</summary>
    public (Outbox Outbox, int BacklogWarning)? Outbox { get; set; }

    /// <summary>Current broker state.</summary>
    public BrokerState Broker
    {
        get
        {
            lock (_gate)
            {
                return _broker;
            }
        }
    }

    /// <summary>Records that the model <paramref name="modelId"/> is loaded.</summary>
    public void ReportModelLoaded(string modelId)
    {
        lock (_gate)
        {
            _modelId = modelId;
        }
    }

    /// <summary>Records the broker state and, for a rejection or a lost connection, why.</summary>
    public void ReportBroker(BrokerState state, string? reason = null)
    {
        lock (_gate)
        {
            _broker = state;
            _brokerReason = reason;
        }
    }

    /// <summary>Evaluates every rule now.</summary>
    public HealthReport Evaluate()
    {
        var unhealthy = new List<string>();
        var degraded = new List<string>();
        string? modelId;
        BrokerState broker;
        string? brokerReason;
        lock (_gate)
        {
            modelId = _modelId;
            broker = _broker;
            brokerReason = _brokerReason;
        }

        if (modelId is null)
        {
            unhealthy.Add("model not loaded");
        }

        if (broker == BrokerState.Rejected)
        {
            unhealthy.Add($"broker rejected the connection: {brokerReason}");
        }
        else if (broker is BrokerState.Disconnected or BrokerState.Connecting)
        {
            degraded.Add(brokerReason is null ? "broker not connected" : $"broker not connected: {brokerReason}");
        }

        foreach (var device in _counters.Devices())
        {
            if (_counters.LastReceivedTimestamp(device) is { } last)
            {
                // The reason names the limit, not the growing silence, so it stays the same while it holds.
                if (Stopwatch.GetElapsedTime(last).TotalSeconds >= _options.SilentSourceSeconds)
                {
                    degraded.Add(string.Create(
                        CultureInfo.InvariantCulture,
                        $"device {device} silent for more than {_options.SilentSourceSeconds} s"));
                }
            }
        }

        AddSerialReasons(degraded);
        AddMqttReasons(degraded);

        if (Outbox is var (outbox, warning) && outbox.Count >= warning)
        {
            degraded.Add(string.Create(
                CultureInfo.InvariantCulture, $"outbox holds {warning} or more messages"));
        }

        var state = unhealthy.Count > 0 ? HealthState.Unhealthy
            : degraded.Count > 0 ? HealthState.Degraded
            : HealthState.Healthy;
        return new HealthReport(state, [.. unhealthy, .. degraded]);
    }

    // Reasons name the device, the port and the limit but not the growing time, so they stay the
    // same while the state holds and the status topic is republished only on a change.
    private void AddSerialReasons(List<string> degraded)
    {
        foreach (var source in _serialSources)
        {
            var status = source.Status;
            var reason = status.State switch
            {
                SerialPortState.Connecting => $"serial device {status.DeviceId} on {status.Port} not open yet",
                SerialPortState.Silent => string.Create(
                    CultureInfo.InvariantCulture,
                    $"serial device {status.DeviceId} on {status.Port} silent for more than {source.SilenceSeconds} s"),
                SerialPortState.Reconnecting => $"serial device {status.DeviceId} on {status.Port} lost, reopening",
                _ => null,
            };
            if (reason is not null)
            {
                degraded.Add(reason);
            }
        }
    }

    private void AddMqttReasons(List<string> degraded)
    {
        foreach (var source in _mqttSources)
        {
            var status = source.Status;
            if (status.Running && !status.Connected)
            {
                degraded.Add($"MQTT source not connected to {status.Broker}");
            }
        }
    }
}
