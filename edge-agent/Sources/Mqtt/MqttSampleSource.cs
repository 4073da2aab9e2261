using System.Buffers;
using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using MQTTnet;
using MQTTnet.Protocol;

namespace SsdEdge.EdgeAgent.Sources.Mqtt;

/// <summary>
/// Subscribes to the sensor topic of an MQTT broker and turns each message into a
/// <see cref="SampleBlock"/> of the device named by the topic's <c>+</c> level.
/// </summary>
/// <remarks>
/// <para>A supervision loop connects, checks the CONNACK result code (MQTTnet 5 returns a rejected
/// CONNACK instead of throwing), subscribes at QoS 1 and checks the SUBACK; after a failure or a lost
/// connection it waits with exponential backoff (0.5 s doubling to 30 s, ±20 % jitter) and connects
/// and subscribes again. Sessions are clean, so nothing is redelivered from before a reconnect.</para>
/// <para>Every message that cannot become samples (oversized, invalid JSON, schema violations,
/// unknown channels or devices, a rate that changed) is counted in <see cref="IngestCounters"/> and
/// logged at most once per device and cause every <see cref="RejectionLogIntervalSeconds"/> s.
/// Blocks wait in a queue of <see cref="QueueCapacity"/>; when it is full, a block is dropped and
/// its samples counted as <see cref="IngestRejection.BufferFull"/>, which the pipeline later sees
/// as a gap.</para>
/// </remarks>
public sealed class MqttSampleSource : ISampleSource
{
    /// <summary>Blocks held between the MQTT client and the agent.</summary>
    public const int QueueCapacity = 1024;

    /// <summary>Shortest time between two log entries for one device and cause, in seconds.</summary>
    public const double RejectionLogIntervalSeconds = 10;

    /// <summary>Longest device id accepted, in characters.</summary>
    public const int MaxDeviceIdLength = 64;

    /// <summary>Key under which messages without a usable device id are counted, and those of
    /// unknown devices once <see cref="MqttOptions.MaxDevices"/> ids have had rejections.</summary>
    public const string UnnamedDevice = "(mqtt)";

    private static readonly TimeSpan ConnectTimeout = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan MinBackoff = TimeSpan.FromSeconds(0.5);
    private static readonly TimeSpan MaxBackoff = TimeSpan.FromSeconds(30);

    private readonly MqttOptions _options;
    private readonly IReadOnlyList<string> _channelNames;
    private readonly SamplePayloadDecoder _decoder;
    private readonly DeviceTopicFilter _filter;
    private readonly Func<CancellationToken, Task<(string Host, int Port)>> _resolveBroker;
    private readonly IngestCounters _counters;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger _logger;
    private readonly ConcurrentDictionary<string, DeviceDescriptor> _devices = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<(string Device, IngestRejection Cause), long> _lastLogged = new();
    private readonly ConcurrentDictionary<string, byte> _rejectingDevices = new(StringComparer.Ordinal);
    private readonly Lock _deviceGate = new();
    private readonly Lock _statusGate = new();
    private MqttSourceStatus _status;
    private bool _everConnected;

    /// <summary>Creates the source.</summary>
    /// <param name="options">Broker, topic and limits.</param>
    /// <param name="channelNames">Channels of the model, in its order.</param>
    /// <param name="defaultRateHz">Rate of payloads that state none, in Hz.</param>
    /// <param name="resolveBroker">Returns the broker's host and port once it can be reached; for the
    /// embedded broker, once it listens.</param>
    /// <param name="counters">Receives every rejected message.</param>
    /// <param name="timeProvider">Clock of the backoff and the log rate limit.</param>
    /// <param name="logger">Receives connections, retries and rejections.</param>
    /// <exception cref="ArgumentException">The topic filter is invalid.</exception>
    public MqttSampleSource(
        MqttOptions options,
        IReadOnlyList<string> channelNames,
        double defaultRateHz,
        Func<CancellationToken, Task<(string Host, int Port)>> resolveBroker,
        IngestCounters counters,
        TimeProvider timeProvider,
        ILogger<MqttSampleSource> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(channelNames);
        ArgumentNullException.ThrowIfNull(resolveBroker);
        ArgumentNullException.ThrowIfNull(counters);
        ArgumentNullException.ThrowIfNull(timeProvider);
        ArgumentNullException.ThrowIfNull(logger);
        _filter = DeviceTopicFilter.TryParse(options.TopicFilter, out var problem)
            ?? throw new ArgumentException($"Topic filter '{options.TopicFilter}' is invalid: {problem}.", nameof(options));
        _options = options;
        _channelNames = channelNames;
        _decoder = new SamplePayloadDecoder(channelNames, defaultRateHz);
        _resolveBroker = resolveBroker;
        _counters = counters;
        _timeProvider = timeProvider;
        _logger = logger;
        var broker = string.IsNullOrEmpty(options.Host) ? "the embedded broker" : $"{options.Host}:{options.Port}";
        Description = $"MQTT {_filter.Filter} on {broker}";
        _status = new MqttSourceStatus(broker, Running: false, Connected: false, Reconnects: 0, LastError: null);
    }

    /// <inheritdoc />
    public string Description { get; }

    /// <inheritdoc />
    public bool IsLive => true;

    /// <summary>Whether the client is connected and subscribed.</summary>
    public bool IsSubscribed => Status.Connected;

    /// <summary>Current state of the connection; safe to read from any thread.</summary>
    public MqttSourceStatus Status => Volatile.Read(ref _status);

    /// <inheritdoc />
    /// <remarks>Runs until <paramref name="cancellationToken"/> is cancelled; connection failures
    /// are retried, never thrown.</remarks>
    public async IAsyncEnumerable<SampleBlock> ReadAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var queue = Channel.CreateBounded<SampleBlock>(new BoundedChannelOptions(QueueCapacity)
        {
            SingleReader = true,
            FullMode = BoundedChannelFullMode.Wait,
        });
        using var client = new MqttClientFactory().CreateMqttClient();
        client.ApplicationMessageReceivedAsync += args =>
        {
            OnMessage(args.ApplicationMessage.Topic, args.ApplicationMessage.Payload, queue.Writer);
            return Task.CompletedTask;
        };

        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        UpdateStatus(status => status with { Running = true });
        var supervision = Task.Run(() => SuperviseAsync(client, stop.Token), CancellationToken.None);
        try
        {
            await foreach (var block in queue.Reader.ReadAllAsync(cancellationToken))
            {
                yield return block;
            }
        }
        finally
        {
            await stop.CancelAsync();
            await supervision;
            UpdateStatus(status => status with { Running = false });
        }
    }

    /// <summary>Decodes one message and queues its block, or counts and logs why it was dropped.</summary>
    /// <remarks>Internal for tests, which feed payloads without a broker.</remarks>
    internal void OnMessage(string topic, ReadOnlySequence<byte> payload, ChannelWriter<SampleBlock> writer)
    {
        var receivedTimestamp = _timeProvider.GetTimestamp();
        var deviceId = _filter.DeviceIdOf(topic);
        if (deviceId is null || deviceId.Length > MaxDeviceIdLength || deviceId.Any(char.IsControl))
        {
            Reject(UnnamedDevice, topic, IngestRejection.UnknownDevice, "the topic names no valid device id");
            return;
        }

        if (payload.Length > _options.MaxPayloadBytes)
        {
            Reject(
                deviceId,
                topic,
                IngestRejection.OversizedPayload,
                $"{payload.Length} bytes, more than Mqtt:MaxPayloadBytes = {_options.MaxPayloadBytes}");
            return;
        }

        SamplePayload samples;
        try
        {
            samples = _decoder.Decode(payload);
        }
        catch (PayloadRejectedException ex)
        {
            Reject(deviceId, topic, ex.Cause, ex.Message);
            return;
        }

        var device = DeviceOf(deviceId, samples.RateHz, topic);
        if (device is null)
        {
            return;
        }

        if (samples.NonFiniteSamples > 0)
        {
            // Kept as NaN, so the time axis stays intact and the quality gate rejects those windows.
            _counters.AddRejected(deviceId, IngestRejection.NonFiniteSample, samples.NonFiniteSamples);
        }

        var block = new SampleBlock(device, samples.FirstSample, samples.Frames) { ReceivedTimestamp = receivedTimestamp };
        if (!writer.TryWrite(block))
        {
            Reject(deviceId, topic, IngestRejection.BufferFull, $"the queue of {QueueCapacity} blocks is full", block.FrameCount);
        }
    }

    private DeviceDescriptor? DeviceOf(string deviceId, double rateHz, string topic)
    {
        if (_devices.TryGetValue(deviceId, out var known))
        {
            if (known.SamplingRateHz != rateHz)
            {
                Reject(
                    deviceId,
                    topic,
                    IngestRejection.InvalidPayload,
                    $"rate {rateHz} Hz differs from the {known.SamplingRateHz} Hz of its first message; a device "
                    + "keeps one rate while the agent runs");
                return null;
            }

            return known;
        }

        lock (_deviceGate)
        {
            if (_devices.TryGetValue(deviceId, out known))
            {
                return known.SamplingRateHz == rateHz ? known : DeviceOf(deviceId, rateHz, topic);
            }

            if (_devices.Count >= _options.MaxDevices)
            {
                Reject(
                    deviceId,
                    topic,
                    IngestRejection.UnknownDevice,
                    $"Mqtt:MaxDevices = {_options.MaxDevices} devices are already known");
                return null;
            }

            var device = new DeviceDescriptor(deviceId, _channelNames, rateHz);
            _devices[deviceId] = device;
            MqttLog.DeviceSeen(_logger, deviceId, _channelNames.Count, rateHz);
            return device;
        }
    }

    private void Reject(string deviceId, string topic, IngestRejection cause, string problem, long count = 1)
    {
        // Counters and the log limit are kept per device id. A flood of topics with ever new ids
        // must not grow them without bound, so ids beyond Mqtt:MaxDevices share one key.
        if (!_devices.ContainsKey(deviceId) && !_rejectingDevices.ContainsKey(deviceId))
        {
            if (_rejectingDevices.Count < _options.MaxDevices)
            {
                _rejectingDevices.TryAdd(deviceId, 0);
            }
            else
            {
                deviceId = UnnamedDevice;
            }
        }

        _counters.AddRejected(deviceId, cause, count);
        var now = _timeProvider.GetTimestamp();
        var key = (deviceId, cause);
        var interval = (long)(RejectionLogIntervalSeconds * _timeProvider.TimestampFrequency);
        var last = _lastLogged.GetOrAdd(key, long.MinValue);
        if (last != long.MinValue && now - last < interval)
        {
            return;
        }

        if (!_lastLogged.TryUpdate(key, now, last))
        {
            return;
        }

        MqttLog.MessageRejected(
            _logger,
            deviceId,
            topic.Length > 200 ? topic[..200] + "..." : topic,
            cause,
            problem,
            _counters.Rejected(deviceId, cause),
            RejectionLogIntervalSeconds);
    }

    private async Task SuperviseAsync(IMqttClient client, CancellationToken cancellationToken)
    {
        var attempt = 0;
        var host = "";
        var port = 0;
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                if (client.IsConnected)
                {
                    await Task.Delay(TimeSpan.FromMilliseconds(250), _timeProvider, cancellationToken);
                    continue;
                }

                if (IsSubscribed)
                {
                    const string Lost = "the client is no longer connected";
                    UpdateStatus(status => status with { Connected = false, LastError = Lost });
                    MqttLog.ConnectionLost(_logger, host, port, Lost);
                }

                (host, port) = await _resolveBroker(cancellationToken);
                var endpoint = $"{host}:{port.ToString(System.Globalization.CultureInfo.InvariantCulture)}";
                UpdateStatus(status => status with { Broker = endpoint });
                var retryDelay = Backoff(attempt);
                if (await TryConnectAsync(client, host, port, retryDelay, cancellationToken))
                {
                    attempt = 0;
                }
                else
                {
                    await Task.Delay(retryDelay, _timeProvider, cancellationToken);
                    attempt++;
                }
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                break;
            }
        }

        await DisconnectAsync(client, host, port);
    }

    // Returns true once connected and subscribed; logs every failure with the delay before the next try.
    private async Task<bool> TryConnectAsync(
        IMqttClient client,
        string host,
        int port,
        TimeSpan retryDelay,
        CancellationToken cancellationToken)
    {
        var options = BuildClientOptions(host, port);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(ConnectTimeout);
        try
        {
            var connect = await client.ConnectAsync(options, timeout.Token);
            if (connect.ResultCode != MqttClientConnectResultCode.Success)
            {
                UpdateStatus(status => status with { LastError = $"connection rejected: {connect.ResultCode}" });
                MqttLog.ConnectRejected(
                    _logger, host, port, connect.ResultCode.ToString(), connect.ReasonString ?? "", retryDelay.TotalSeconds);
                await DisconnectAsync(client, host, port);
                return false;
            }

            var subscribe = new MqttClientSubscribeOptionsBuilder()
                .WithTopicFilter(filter => filter
                    .WithTopic(_filter.Filter)
                    .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce))
                .Build();
            var granted = await client.SubscribeAsync(subscribe, timeout.Token);
            var rejected = granted.Items.FirstOrDefault(item => item.ResultCode
                is not (MqttClientSubscribeResultCode.GrantedQoS0
                    or MqttClientSubscribeResultCode.GrantedQoS1
                    or MqttClientSubscribeResultCode.GrantedQoS2));
            if (granted.Items.Count == 0 || rejected is not null)
            {
                var code = rejected?.ResultCode.ToString() ?? "no result";
                UpdateStatus(status => status with { LastError = $"subscription rejected: {code}" });
                MqttLog.SubscribeRejected(_logger, _filter.Filter, code, retryDelay.TotalSeconds);
                await DisconnectAsync(client, host, port);
                return false;
            }

            UpdateStatus(status => status with
            {
                Connected = true,
                Reconnects = status.Reconnects + (_everConnected ? 1 : 0),
            });
            _everConnected = true;
            MqttLog.Connected(_logger, host, port, _options.ClientId, _filter.Filter);
            return true;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
#pragma warning disable CA1031 // Any connection error is logged and retried by the supervision loop.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            var reason = ex is OperationCanceledException
                ? $"no answer within {ConnectTimeout.TotalSeconds} s"
                : ex.GetBaseException().Message;
            UpdateStatus(status => status with { LastError = reason });
            MqttLog.ConnectFailed(_logger, host, port, reason, retryDelay.TotalSeconds);
            return false;
        }
    }

    private MqttClientOptions BuildClientOptions(string host, int port)
    {
        var builder = new MqttClientOptionsBuilder()
            .WithTcpServer(host, port)
            .WithClientId(_options.ClientId)
            .WithProtocolVersion(MQTTnet.Formatter.MqttProtocolVersion.V500)
            .WithCleanSession(true)
            .WithTimeout(ConnectTimeout);
        if (!string.IsNullOrEmpty(_options.Username))
        {
            builder = builder.WithCredentials(_options.Username, _options.Password);
        }

        if (_options.UseTls)
        {
            builder = builder.WithTlsOptions(tls => MqttTls.Configure(tls, host, _options.CaFile, allowUntrusted: false));
        }

        return builder.Build();
    }

    private async Task DisconnectAsync(IMqttClient client, string host, int port)
    {
        var wasSubscribed = IsSubscribed;
        UpdateStatus(status => status with { Connected = false });
        if (!client.IsConnected)
        {
            return;
        }

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(2));
        try
        {
            await client.DisconnectAsync(new MqttClientDisconnectOptionsBuilder().Build(), timeout.Token);
        }
#pragma warning disable CA1031 // A failed goodbye changes nothing: the connection is dropped either way.
        catch (Exception)
#pragma warning restore CA1031
        {
        }

        if (wasSubscribed)
        {
            MqttLog.Disconnected(_logger, host, port);
        }
    }

    private void UpdateStatus(Func<MqttSourceStatus, MqttSourceStatus> change)
    {
        lock (_statusGate)
        {
            Volatile.Write(ref _status, change(_status));
        }
    }

    // Exponential backoff from MinBackoff, doubling up to MaxBackoff, with ±20 % jitter so that many
    // agents do not reconnect in step after a broker restart.
    private static TimeSpan Backoff(int attempt)
    {
        var seconds = Math.Min(MaxBackoff.TotalSeconds, MinBackoff.TotalSeconds * Math.Pow(2, Math.Min(attempt, 16)));
#pragma warning disable CA5394 // Jitter needs no cryptographic randomness.
        var jitter = 0.8 + (0.4 * Random.Shared.NextDouble());
#pragma warning restore CA5394
        return TimeSpan.FromSeconds(seconds * jitter);
    }
}
