using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using MQTTnet;
using MQTTnet.Protocol;
using SsdEdge.EdgeAgent.Sources.Mqtt;

namespace SsdEdge.EdgeAgent.Sources.Simulator;

/// <summary>
/// Publishes the simulated devices as JSON into the embedded broker, on the topic of each device
/// under the MQTT source's filter, so that the default set-up exercises the real ingest path.
/// </summary>
/// <remarks>
/// Messages go out at QoS 0, as a sensor on a lossy link would send them. While the client is not
/// connected, blocks are dropped, and the agent counts a gap in the device's counter.
/// </remarks>
public sealed class SimulatorPublisher : BackgroundService
{
    private static readonly TimeSpan RetryDelay = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan ReadyPollInterval = TimeSpan.FromMilliseconds(20);

    private readonly SimulatedDevices _devices;
    private readonly EmbeddedMqttBroker _broker;
    private readonly DeviceTopicFilter _filter;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger _logger;

    /// <summary>Creates the publisher.</summary>
    public SimulatorPublisher(
        SimulatedDevices devices,
        EmbeddedMqttBroker broker,
        DeviceTopicFilter filter,
        TimeProvider timeProvider,
        ILogger<SimulatorPublisher> logger)
    {
        ArgumentNullException.ThrowIfNull(devices);
        ArgumentNullException.ThrowIfNull(broker);
        ArgumentNullException.ThrowIfNull(filter);
        ArgumentNullException.ThrowIfNull(timeProvider);
        ArgumentNullException.ThrowIfNull(logger);
        _devices = devices;
        _broker = broker;
        _filter = filter;
        _timeProvider = timeProvider;
        _logger = logger;
    }

    /// <summary>
    /// Check of whether the agent's MQTT source has subscribed. The simulator publishes its first
    /// sample only after that, because the broker drops messages that no subscriber takes. A lost
    /// start would shift every window. Null publishes at once.
    /// </summary>
    public Func<bool>? SubscriberReady { get; init; }

    /// <summary>Maximum wait for <see cref="SubscriberReady"/> before publishing anyway.</summary>
    public TimeSpan SubscriberTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var deviceIds = string.Join(", ", _devices.Devices.Select(device => device.DeviceId));
        SimulatorLog.Starting(
            _logger,
            _devices.Devices.Count,
            deviceIds,
            _devices.RateHz,
            _devices.Speed,
            "publishing into the embedded MQTT broker");
        using var client = new MqttClientFactory().CreateMqttClient();
        try
        {
            var (host, port) = await _broker.GetEndpointAsync(stoppingToken);
            var options = new MqttClientOptionsBuilder()
                .WithTcpServer(host, port)
                .WithClientId("ssdedge-simulator")
                .WithCleanSession(true)
                .Build();
            await WaitForSubscriberAsync(stoppingToken);
            var retryAt = long.MinValue;
            await foreach (var block in _devices.StreamAsync(stoppingToken))
            {
                if (!client.IsConnected)
                {
                    if (_timeProvider.GetTimestamp() < retryAt)
                    {
                        continue;
                    }

                    if (!await TryConnectAsync(client, options, host, port, stoppingToken))
                    {
                        retryAt = _timeProvider.GetTimestamp() + (long)(RetryDelay.TotalSeconds * _timeProvider.TimestampFrequency);
                        continue;
                    }
                }

                var message = new MqttApplicationMessageBuilder()
                    .WithTopic(_filter.TopicOf(block.Device.DeviceId))
                    .WithPayload(SamplePayloadEncoder.ToJson(block))
                    .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtMostOnce)
                    .Build();
                try
                {
                    await client.PublishAsync(message, stoppingToken);
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    SimulatorLog.PublishFailed(_logger, host, port, ex.GetBaseException().Message, RetryDelay.TotalSeconds);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Host shutdown.
        }

        if (client.IsConnected)
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(2));
            try
            {
                await client.DisconnectAsync(new MqttClientDisconnectOptionsBuilder().Build(), timeout.Token);
            }
#pragma warning disable CA1031 // The broker may already be gone at shutdown.
            catch (Exception)
#pragma warning restore CA1031
            {
            }
        }

        SimulatorLog.Stopped(_logger);
    }

    private async Task<bool> TryConnectAsync(
        IMqttClient client,
        MqttClientOptions options,
        string host,
        int port,
        CancellationToken cancellationToken)
    {
        try
        {
            var result = await client.ConnectAsync(options, cancellationToken);
            if (result.ResultCode != MqttClientConnectResultCode.Success)
            {
                SimulatorLog.PublishFailed(_logger, host, port, $"connection rejected: {result.ResultCode}", RetryDelay.TotalSeconds);
                return false;
            }

            SimulatorLog.Connected(_logger, host, port, _filter.Filter);
            return true;
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            SimulatorLog.PublishFailed(_logger, host, port, ex.GetBaseException().Message, RetryDelay.TotalSeconds);
            return false;
        }
    }

    private async Task WaitForSubscriberAsync(CancellationToken stoppingToken)
    {
        if (SubscriberReady is null)
        {
            return;
        }

        var deadline = _timeProvider.GetTimestamp() + (long)(SubscriberTimeout.TotalSeconds * _timeProvider.TimestampFrequency);
        while (!SubscriberReady())
        {
            if (_timeProvider.GetTimestamp() >= deadline)
            {
                SimulatorLog.SubscriberNotReady(_logger, SubscriberTimeout.TotalSeconds);
                return;
            }

            await Task.Delay(ReadyPollInterval, _timeProvider, stoppingToken);
        }
    }
}
