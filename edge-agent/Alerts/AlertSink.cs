using System.Collections.Concurrent;
using System.Diagnostics;
using Microsoft.Extensions.Logging;
using SsdEdge.Contracts;
using SsdEdge.EdgeAgent.Delivery;
using SsdEdge.EdgeAgent.Observability;
using SsdEdge.EdgeAgent.Output;
using SsdEdge.EdgeAgent.Pipeline;

namespace SsdEdge.EdgeAgent.Alerts;

/// <summary>
/// Window sink that applies the alert policy per device and queues alert events, device states and
/// window outputs in the outbox for the publisher; it also counts windows for the metrics.
/// </summary>
/// <remarks>
/// An alert is on disk (fsynced) when <see cref="Write"/> returns. A device's state is queued on its
/// first window and at every raise and clear. Devices may write from different threads; each
/// device's policy is used by one thread at a time.
/// </remarks>
public sealed class AlertSink : IWindowSink
{
    private readonly ConcurrentDictionary<string, DeviceAlerts> _devices = new(StringComparer.Ordinal);
    private readonly AlertOptions _options;
    private readonly PublishOptions _publish;
    private readonly SignalContract _contract;
    private readonly Outbox? _outbox;
    private readonly TopicNames _topics;
    private readonly AgentMetrics _metrics;
    private readonly DeviceRegistry _registry;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly IAlertObserver[] _observers;

    /// <summary>Creates the sink; <paramref name="outbox"/> is null when publishing is off, and then
    /// alerts are only logged, counted and shown to <paramref name="observers"/>.</summary>
    public AlertSink(
        AlertOptions options,
        PublishOptions publish,
        SignalContract contract,
        Outbox? outbox,
        AgentMetrics metrics,
        HealthMonitor health,
        DeviceRegistry registry,
        TimeProvider time,
        ILogger<AlertSink> logger,
        IEnumerable<IAlertObserver>? observers = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(publish);
        ArgumentNullException.ThrowIfNull(contract);
        ArgumentNullException.ThrowIfNull(metrics);
        ArgumentNullException.ThrowIfNull(health);
        ArgumentNullException.ThrowIfNull(registry);
        ArgumentNullException.ThrowIfNull(time);
        ArgumentNullException.ThrowIfNull(logger);
        _options = options;
        _publish = publish;
        _contract = contract;
        _outbox = outbox;
        _metrics = metrics;
        _registry = registry;
        _time = time;
        _logger = logger;
        _observers = observers?.ToArray() ?? [];
        _topics = new TopicNames(publish.TopicPrefix, publish.EffectiveAgentId);
        health.ReportModelLoaded(contract.ModelId);
        if (options.Enabled)
        {
            if (options.IsDemoPolicy)
            {
                AlertLog.DemoPolicy(logger);
            }

            AlertLog.PolicyStarted(
                logger,
                options.RaiseCount,
                options.WindowCount,
                options.Threshold,
                options.ClearCount,
                options.ClearThreshold,
                options.CooldownSeconds,
                options.MinQuality);
        }
    }

    /// <summary>Current alert state of a device, or null before its first window.</summary>
    public AlertState? StateOf(string deviceId) =>
        _devices.TryGetValue(deviceId, out var device) ? device.Policy.State : null;

    /// <inheritdoc />
    public void Write(WindowResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        _metrics.RecordWindow(result);

        var now = _time.GetUtcNow();
        var windowEndUtc = result.LastSampleReceivedTimestamp == 0
            ? now
            : now - Stopwatch.GetElapsedTime(result.LastSampleReceivedTimestamp);
        var isNew = false;
        var device = _devices.GetOrAdd(result.DeviceId, _ =>
        {
            isNew = true;
            return new DeviceAlerts(new AlertPolicy(_options));
        });
        if (isNew)
        {
            _registry.Add(result.DeviceId);
            Enqueue(State(result.DeviceId, device, now), result.DeviceId);
        }

        if (_publish.WindowOutputs)
        {
            var payload = AlertMessages.Window(
                result, _publish.EffectiveAgentId, _contract.ClassLabels, _contract.PositiveClassIndex, windowEndUtc);
            Enqueue(
                new OutboxMessage(_topics.Window(result.DeviceId), payload, false, OutboxKind.Window, windowEndUtc),
                result.DeviceId);
        }

        if (_options.Enabled)
        {
            Evaluate(result, device, windowEndUtc, now);
        }
    }

    /// <inheritdoc />
    public void Complete(RunSummary summary)
    {
    }

    private void Evaluate(WindowResult result, DeviceAlerts device, DateTimeOffset windowEndUtc, DateTimeOffset now)
    {
        double? probability = result.Outcome == WindowOutcome.Scored
            && _contract.PositiveClassIndex < result.Probabilities.Count
                ? result.Probabilities[_contract.PositiveClassIndex]
                : null;
        var transition = device.Policy.Evaluate(probability, result.Quality.Score, result.EndSeconds);
        if (transition == AlertTransition.None)
        {
            return;
        }

        var alert = new AlertEvent(
            Guid.CreateVersion7(now),
            transition == AlertTransition.Raise ? "raise" : "clear",
            result.DeviceId,
            _contract.ModelId,
            result.EndSeconds,
            result.EndSample,
            windowEndUtc,
            probability ?? double.NaN,
            result.Quality.Score);
        device.LastEvent = alert;
        _metrics.RecordAlert(result.DeviceId, alert.Type);
        if (transition == AlertTransition.Raise)
        {
            AlertLog.AlertRaised(
                _logger, alert.DeviceId, alert.Probability, alert.WindowEndSeconds, alert.Quality, alert.Id);
        }
        else
        {
            AlertLog.AlertCleared(_logger, alert.DeviceId, alert.Probability, alert.WindowEndSeconds, alert.Id);
        }

        if (_outbox is not null)
        {
            Store(alert, device, result.DeviceId, windowEndUtc, now);
        }

        foreach (var observer in _observers)
        {
            observer.OnAlert(alert);
        }
    }

    private void Store(
        AlertEvent alert,
        DeviceAlerts device,
        string deviceId,
        DateTimeOffset windowEndUtc,
        DateTimeOffset now)
    {
        var payload = AlertMessages.Alert(alert, _publish.EffectiveAgentId, _options);
        try
        {
            _outbox!.Append(
                new OutboxMessage(_topics.Alert(alert.DeviceId), payload, false, OutboxKind.Alert, windowEndUtc));
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            AlertLog.AlertNotStored(_logger, alert.Id, alert.DeviceId, ex.Message, ex);
        }

        Enqueue(State(deviceId, device, now), deviceId);
    }

    private OutboxMessage State(string deviceId, DeviceAlerts device, DateTimeOffset now) =>
        new(
            _topics.State(deviceId),
            AlertMessages.State(_publish.EffectiveAgentId, deviceId, device.Policy.State, device.LastEvent, now),
            true,
            OutboxKind.State,
            null);

    private void Enqueue(OutboxMessage message, string deviceId)
    {
        if (_outbox is null)
        {
            return;
        }

        try
        {
            _outbox.Append(message);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            AlertLog.MessageNotStored(_logger, message.Kind.ToString(), deviceId, ex.Message);
        }
    }

    private sealed class DeviceAlerts(AlertPolicy policy)
    {
        public AlertPolicy Policy { get; } = policy;

        public AlertEvent? LastEvent { get; set; }
    }
}
