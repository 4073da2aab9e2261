using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using MQTTnet;
using MQTTnet.Formatter;
using MQTTnet.Protocol;
using SsdEdge.EdgeAgent.Alerts;
using SsdEdge.EdgeAgent.Observability;

namespace SsdEdge.EdgeAgent.Delivery;

/// <summary>
/// Publishes the outbox to the broker in order with QoS 1, removing each message at its PUBACK,
/// and keeps the connection alive from one supervising loop.
/// </summary>
/// <remarks>
/// <para>The loop connects with exponential backoff (0.5 s doubling up to
/// <see cref="PublishOptions.MaxReconnectDelaySeconds"/>, plus up to 25 % jitter) and checks the
/// CONNACK result code: MQTTnet 5 returns a rejected CONNACK instead of throwing. Bad credentials or
/// not authorised make health unhealthy, are logged once per reason, and are retried at the maximum
/// delay.</para>
/// <para>Every CONNACK, PUBACK and ping has a timeout of <see cref="PublishOptions.PublishTimeoutSeconds"/>.
/// While nothing is published, a ping every <see cref="PublishOptions.ProbeIntervalSeconds"/> checks
/// the connection, so a half-open one (a broker that stopped responding) is dropped and reconnected.</para>
/// <para>After a connect it publishes the retained status (with health, and again whenever health
/// changes), the Home Assistant discovery configurations when enabled, then the outbox. A message
/// that times out is sent again on the next connection with the same payload id, so a consumer may
/// see it twice. At shutdown it keeps publishing for up to <see cref="PublishOptions.DrainSeconds"/>
/// while connected, then publishes the offline status and disconnects.</para>
/// </remarks>
public sealed class MqttPublisher : BackgroundService
{
    private const double InitialDelaySeconds = 0.5;

    private readonly PublishOptions _options;
    private readonly Outbox _outbox;
    private readonly HealthMonitor _health;
    private readonly AgentMetrics _metrics;
    private readonly DeviceRegistry _registry;
    private readonly TimeProvider _time;
    private readonly ILogger<MqttPublisher> _logger;
    private readonly TopicNames _topics;
    private readonly HomeAssistantDiscovery? _discovery;
    private readonly TimeSpan _timeout;
    private readonly TimeSpan _probeInterval;
    private volatile bool _homeAssistantAnnounced;
    private volatile bool _devicesAdded;
    private TaskCompletionSource _wake = NewSignal();
    private volatile IMqttClient? _client;
    private string? _modelId;
    private string _host;
    private int _port;

    /// <summary>Creates the publisher; it connects once the host starts.</summary>
    public MqttPublisher(
        PublishOptions options,
        Outbox outbox,
        HealthMonitor health,
        AgentMetrics metrics,
        DeviceRegistry registry,
        TimeProvider time,
        ILogger<MqttPublisher> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(outbox);
        ArgumentNullException.ThrowIfNull(health);
        ArgumentNullException.ThrowIfNull(metrics);
        ArgumentNullException.ThrowIfNull(registry);
        ArgumentNullException.ThrowIfNull(time);
        ArgumentNullException.ThrowIfNull(logger);
        _options = options;
        _outbox = outbox;
        _health = health;
        _metrics = metrics;
        _registry = registry;
        _time = time;
        _logger = logger;
        _topics = new TopicNames(options.TopicPrefix, options.EffectiveAgentId);
        _host = options.EffectiveHost;
        _port = options.Port;
        _timeout = TimeSpan.FromSeconds(options.PublishTimeoutSeconds);
        _probeInterval = TimeSpan.FromSeconds(options.ProbeIntervalSeconds);
        if (options.HomeAssistant.Enabled)
        {
            _discovery = new HomeAssistantDiscovery(options.HomeAssistant.DiscoveryPrefix, _topics, options.EffectiveAgentId);
        }

        registry.DeviceAdded += _ =>
        {
            _devicesAdded = true;
            Wake();
        };
    }

    /// <summary>Id of the loaded model, written into the status; set by the host wiring.</summary>
    public string? ModelId
    {
        get => _modelId;
        set => _modelId = value;
    }

    /// <summary>Returns the broker's host and port when the publisher starts, in place of
    /// <see cref="PublishOptions.Host"/> and <see cref="PublishOptions.Port"/>; set by the host wiring
    /// when the publisher uses the embedded broker.</summary>
    public Func<CancellationToken, Task<(string Host, int Port)>>? ResolveBroker { get; init; }

    /// <summary>Host the publisher connects to; the embedded broker's address once resolved.</summary>
    public string Host => Volatile.Read(ref _host);

    /// <summary>Port the publisher connects to; the embedded broker's port once resolved.</summary>
    public int Port => Volatile.Read(ref _port);

    /// <summary>Whether the client is connected now.</summary>
    public bool IsConnected => _client?.IsConnected == true;

    /// <inheritdoc />
    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        // Drain: keep publishing while connected, until the outbox is empty or the drain time is up.
        var deadline = _time.GetUtcNow() + TimeSpan.FromSeconds(_options.DrainSeconds);
        while (IsConnected && _outbox.Count > 0 && _time.GetUtcNow() < deadline
            && !cancellationToken.IsCancellationRequested)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(20), _time, CancellationToken.None).ConfigureAwait(false);
        }

        await base.StopAsync(cancellationToken).ConfigureAwait(false);
        DeliveryLog.PublisherStopped(_logger, _outbox.Count, _outbox.Directory);
    }

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (ResolveBroker is { } resolve)
        {
            try
            {
                var (host, port) = await resolve(stoppingToken).ConfigureAwait(false);
                Volatile.Write(ref _host, host);
                Volatile.Write(ref _port, port);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
        }

        DeliveryLog.PublisherStarting(
            _logger, _host, _port, _topics.Root, _outbox.Directory, _outbox.Count);
        _health.ReportBroker(BrokerState.Connecting);
        var attempt = 0;
        var factory = new MqttClientFactory();
        MqttClientConnectResultCode? lastRejection = null;
        string? lastFailure = null;
        while (!stoppingToken.IsCancellationRequested)
        {
            using var client = factory.CreateMqttClient();
            client.ApplicationMessageReceivedAsync += OnMessageReceivedAsync;
            var delay = NextDelay(attempt);
            try
            {
                var result = await ConnectAsync(client, stoppingToken).ConfigureAwait(false);
                if (result.ResultCode != MqttClientConnectResultCode.Success)
                {
                    attempt++;
                    delay = HandleRejection(result, ref lastRejection, attempt);
                }
                else
                {
                    attempt = 0;
                    lastRejection = null;
                    lastFailure = null;
                    _client = client;
                    _health.ReportBroker(BrokerState.Connected);
                    DeliveryLog.Connected(
                        _logger,
                        _host,
                        _port,
                        _options.EffectiveClientId,
                        _options.UseTls ? " over TLS" : "");
                    await RunConnectedAsync(client, stoppingToken).ConfigureAwait(false);
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                await CloseAsync(client).ConfigureAwait(false);
                break;
            }
#pragma warning disable CA1031 // The supervising loop logs every connection error and reconnects.
            catch (Exception ex)
#pragma warning restore CA1031
            {
                var reason = Describe(ex);
                var wasConnected = ReferenceEquals(_client, client);
                attempt++;
                delay = NextDelay(attempt);
                _health.ReportBroker(BrokerState.Disconnected, reason);
                if (wasConnected)
                {
                    DeliveryLog.ConnectionLost(_logger, _host, _port, reason, _outbox.Count);
                }
                else if (reason != lastFailure)
                {
                    DeliveryLog.ConnectFailed(
                        _logger, _host, _port, reason, delay.TotalSeconds, attempt);
                }
                else
                {
                    DeliveryLog.ConnectStillFailing(_logger, _host, _port, attempt, reason);
                }

                lastFailure = reason;
            }
            finally
            {
                _client = null;
                client.ApplicationMessageReceivedAsync -= OnMessageReceivedAsync;
            }

            try
            {
                await Task.Delay(delay, _time, stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }
    }

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    private TimeSpan NextDelay(int attempt)
    {
        var seconds = Math.Min(
            _options.MaxReconnectDelaySeconds, InitialDelaySeconds * Math.Pow(2, Math.Min(attempt, 20)));
#pragma warning disable CA5394 // Jitter spreads reconnects; it needs no cryptographic randomness.
        var jitter = 1 + (Random.Shared.NextDouble() * 0.25);
#pragma warning restore CA5394
        return TimeSpan.FromSeconds(attempt == 0 ? 0 : seconds * jitter);
    }

    private TimeSpan HandleRejection(
        MqttClientConnectResult result,
        ref MqttClientConnectResultCode? lastRejection,
        int attempt)
    {
        var code = result.ResultCode.ToString();
        var credentials = result.ResultCode is MqttClientConnectResultCode.BadUserNameOrPassword
            or MqttClientConnectResultCode.NotAuthorized
            or MqttClientConnectResultCode.Banned
            or MqttClientConnectResultCode.BadAuthenticationMethod
            or MqttClientConnectResultCode.ClientIdentifierNotValid;
        if (!credentials)
        {
            var delay = NextDelay(attempt);
            _health.ReportBroker(BrokerState.Disconnected, $"CONNACK {code}");
            DeliveryLog.ConnectFailed(
                _logger, _host, _port, $"CONNACK {code}", delay.TotalSeconds, attempt);
            return delay;
        }

        var slow = TimeSpan.FromSeconds(_options.MaxReconnectDelaySeconds);
        _health.ReportBroker(BrokerState.Rejected, $"CONNACK {code}");
        if (lastRejection != result.ResultCode)
        {
            DeliveryLog.ConnectRejected(
                _logger,
                _host,
                _port,
                code,
                string.IsNullOrEmpty(result.ReasonString) ? "no reason string" : result.ReasonString,
                _options.Username,
                slow.TotalSeconds);
            lastRejection = result.ResultCode;
        }

        return slow;
    }

    private async Task<MqttClientConnectResult> ConnectAsync(IMqttClient client, CancellationToken stoppingToken)
    {
        var options = BuildClientOptions();
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
        timeout.CancelAfter(_timeout);
        try
        {
            return await client.ConnectAsync(options, timeout.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!stoppingToken.IsCancellationRequested)
        {
            throw new TimeoutException($"no CONNACK within {_timeout.TotalSeconds:F1} s");
        }
    }

    private MqttClientOptions BuildClientOptions()
    {
        var will = AlertMessages.Status(
            _options.EffectiveAgentId, false, null, [], _modelId, null, _time.GetUtcNow());
        var builder = new MqttClientOptionsBuilder()
            .WithTcpServer(_host, _port)
            .WithClientId(_options.EffectiveClientId)
            .WithProtocolVersion(MqttProtocolVersion.V500)
            .WithCleanStart(true)
            .WithKeepAlivePeriod(_probeInterval * 3)
            .WithTimeout(_timeout)
            .WithWillTopic(_topics.Status)
            .WithWillPayload(will)
            .WithWillRetain(true)
            .WithWillQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce);
        if (!string.IsNullOrEmpty(_options.Username))
        {
            builder.WithCredentials(_options.Username, _options.Password);
        }

        if (_options.UseTls)
        {
            builder.WithTlsOptions(
                tls => MqttTls.Configure(tls, _host, _options.CaFile, _options.AllowUntrustedCertificates));
        }

        return builder.Build();
    }

    private async Task RunConnectedAsync(IMqttClient client, CancellationToken stoppingToken)
    {
        var report = _health.Evaluate();
        await PublishStatusAsync(client, report, stoppingToken).ConfigureAwait(false);
        if (_discovery is not null)
        {
            _devicesAdded = false;
            await client.SubscribeAsync(
                    _discovery.BirthTopic, MqttQualityOfServiceLevel.AtLeastOnce, stoppingToken)
                .ConfigureAwait(false);
            await PublishDiscoveryAsync(client, stoppingToken).ConfigureAwait(false);
        }

        var lastActivity = _time.GetTimestamp();
        while (true)
        {
            stoppingToken.ThrowIfCancellationRequested();
            if (!client.IsConnected)
            {
                throw new InvalidOperationException("the client reported the connection closed");
            }

            var current = _health.Evaluate();
            if (current.State != report.State || !current.Reasons.SequenceEqual(report.Reasons))
            {
                var reasons = current.Reasons.Count == 0 ? "all rules pass" : string.Join("; ", current.Reasons);
                ObservabilityLog.HealthChanged(_logger, report.State, current.State, reasons);
                report = current;
                await PublishStatusAsync(client, report, stoppingToken).ConfigureAwait(false);
            }

            if (_discovery is not null && (_homeAssistantAnnounced || _devicesAdded))
            {
                var announced = _homeAssistantAnnounced;
                _homeAssistantAnnounced = false;
                _devicesAdded = false;
                await PublishDiscoveryAsync(client, stoppingToken).ConfigureAwait(false);
                if (announced)
                {
                    var devices = _registry.Devices().Count;
                    DeliveryLog.HomeAssistantAnnounced(_logger, devices);
                }
            }

            var appended = _outbox.WhenAppended();
            var wake = _wake.Task;
            if (_outbox.Peek() is { } entry)
            {
                await PublishEntryAsync(client, entry, stoppingToken).ConfigureAwait(false);
                lastActivity = _time.GetTimestamp();
                continue;
            }

            var idle = _time.GetElapsedTime(lastActivity);
            if (idle >= _probeInterval)
            {
                await WithTimeoutAsync(token => client.PingAsync(token), "ping", stoppingToken).ConfigureAwait(false);
                lastActivity = _time.GetTimestamp();
                continue;
            }

            // Wake for a new message, a device or announcement, the next probe, or a health re-check.
            var wait = _probeInterval - idle;
            if (wait > TimeSpan.FromSeconds(1))
            {
                wait = TimeSpan.FromSeconds(1);
            }

            await Task.WhenAny(appended, wake, Task.Delay(wait, _time, stoppingToken)).ConfigureAwait(false);
        }
    }

    private async Task PublishEntryAsync(IMqttClient client, OutboxEntry entry, CancellationToken stoppingToken)
    {
        var message = entry.Message;
        var payload = message.Payload;
        var now = _time.GetUtcNow();
        if (message.SampleReceivedUtc is { } received && message.Kind is OutboxKind.Alert or OutboxKind.Window)
        {
            payload = WithLatency(payload, (now - received).TotalMilliseconds);
        }

        var application = new MqttApplicationMessageBuilder()
            .WithTopic(message.Topic)
            .WithPayload(payload.ToArray())
            .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce)
            .WithRetainFlag(message.Retain)
            .WithContentType("application/json")
            .Build();
        var result = await WithTimeoutAsync(
                token => client.PublishAsync(application, token), "PUBACK", stoppingToken)
            .ConfigureAwait(false);
        if (result.IsSuccess)
        {
            _outbox.Remove(entry.Sequence);
            _metrics.RecordPublished(message.Kind);
            if (message.Kind == OutboxKind.Alert && message.SampleReceivedUtc is { } arrival)
            {
                var latency = _time.GetUtcNow() - arrival;
                _metrics.AlertLatency.Observe(latency.TotalSeconds);
                DeliveryLog.AlertAcknowledged(_logger, message.Topic, latency.TotalMilliseconds);
            }

            return;
        }

        if (result.ReasonCode is MqttClientPublishReasonCode.QuotaExceeded
            or MqttClientPublishReasonCode.ImplementationSpecificError
            or MqttClientPublishReasonCode.UnspecifiedError
            or MqttClientPublishReasonCode.PacketIdentifierInUse)
        {
            DeliveryLog.PublishDeferred(_logger, message.Topic, result.ReasonCode.ToString());
            await Task.Delay(TimeSpan.FromSeconds(1), _time, stoppingToken).ConfigureAwait(false);
            return;
        }

        DeliveryLog.PublishRejected(
            _logger, message.Topic, result.ReasonCode.ToString(), result.ReasonString ?? "no reason string");
        _outbox.Reject(entry);
    }

    private static ReadOnlyMemory<byte> WithLatency(ReadOnlyMemory<byte> payload, double latencyMs)
    {
        if (JsonNode.Parse(payload.Span) is not JsonObject json)
        {
            return payload;
        }

        json["latencyMs"] = Math.Round(Math.Max(latencyMs, 0), 3);
        return Encoding.UTF8.GetBytes(json.ToJsonString());
    }

    private async Task PublishStatusAsync(IMqttClient client, HealthReport report, CancellationToken stoppingToken)
    {
        var payload = AlertMessages.Status(
            _options.EffectiveAgentId,
            true,
            report.State.ToString().ToLowerInvariant(),
            report.Reasons,
            _modelId,
            _outbox.Count,
            _time.GetUtcNow());
        await PublishRetainedAsync(client, _topics.Status, payload, stoppingToken).ConfigureAwait(false);
    }

    private async Task PublishDiscoveryAsync(IMqttClient client, CancellationToken stoppingToken)
    {
        foreach (var device in _registry.Devices())
        {
            foreach (var (topic, payload) in _discovery!.ConfigurationsFor(device, _modelId))
            {
                await PublishRetainedAsync(client, topic, payload, stoppingToken).ConfigureAwait(false);
            }
        }
    }

    private async Task PublishRetainedAsync(
        IMqttClient client,
        string topic,
        byte[] payload,
        CancellationToken stoppingToken)
    {
        var message = new MqttApplicationMessageBuilder()
            .WithTopic(topic)
            .WithPayload(payload)
            .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce)
            .WithRetainFlag(true)
            .WithContentType("application/json")
            .Build();
        await WithTimeoutAsync(token => client.PublishAsync(message, token), "PUBACK", stoppingToken)
            .ConfigureAwait(false);
    }

    private async Task<T> WithTimeoutAsync<T>(
        Func<CancellationToken, Task<T>> operation,
        string awaited,
        CancellationToken stoppingToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
        timeout.CancelAfter(_timeout);
        try
        {
            return await operation(timeout.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!stoppingToken.IsCancellationRequested)
        {
            throw new TimeoutException($"no {awaited} within {_timeout.TotalSeconds:F1} s");
        }
    }

    private Task<bool> WithTimeoutAsync(Func<CancellationToken, Task> operation, string awaited, CancellationToken stoppingToken) =>
        WithTimeoutAsync(
            async token =>
            {
                await operation(token).ConfigureAwait(false);
                return true;
            },
            awaited,
            stoppingToken);

    // Publishes the offline status and disconnects cleanly, so the last will is not needed.
    private async Task CloseAsync(IMqttClient client)
    {
        if (!client.IsConnected)
        {
            return;
        }

        using var timeout = new CancellationTokenSource(_timeout);
        try
        {
            var offline = AlertMessages.Status(
                _options.EffectiveAgentId, false, null, [], _modelId, _outbox.Count, _time.GetUtcNow());
            await PublishRetainedAsync(client, _topics.Status, offline, timeout.Token).ConfigureAwait(false);
            await client.DisconnectAsync(new MqttClientDisconnectOptions(), timeout.Token).ConfigureAwait(false);
        }
#pragma warning disable CA1031 // A failed goodbye leaves the last will to the broker; shutdown goes on.
        catch (Exception)
#pragma warning restore CA1031
        {
        }
    }

    private Task OnMessageReceivedAsync(MqttApplicationMessageReceivedEventArgs arguments)
    {
        if (_discovery is not null
            && arguments.ApplicationMessage.Topic == _discovery.BirthTopic
            && Encoding.UTF8.GetString(arguments.ApplicationMessage.Payload).Trim() == "online")
        {
            _homeAssistantAnnounced = true;
            Wake();
        }

        return Task.CompletedTask;
    }

    private void Wake()
    {
        var signal = Interlocked.Exchange(ref _wake, NewSignal());
        signal.TrySetResult();
    }

    // The inner exception's message is added unless the outer message already contains it.
    private static string Describe(Exception ex) =>
        ex.InnerException is { } inner && ex is not TimeoutException
            && !ex.Message.Contains(inner.Message, StringComparison.Ordinal)
                ? $"{ex.Message} ({inner.Message})"
                : ex.Message;
}
