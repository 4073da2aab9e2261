using System.Diagnostics;
using MQTTnet;
using MQTTnet.Protocol;
using SsdEdge.EdgeAgent.Sources;
using SsdEdge.EdgeAgent.Sources.Mqtt;

namespace SsdEdge.EdgeAgent.Bench;

/// <summary>
/// Simulated sensors that publish JSON sample payloads (the form of <c>docs/mqtt-ingest.md</c>) to
/// a broker at real-time pace, each over its own MQTT connection, as separate devices would.
/// </summary>
/// <remarks>
/// <para>Device <c>d</c> of <c>N</c> starts <c>d / N</c> of a hop after the first, so the windows of
/// the devices end spread over the hop instead of all at once. Each sends a block of
/// <see cref="CapacityBench.BlockSeconds"/> when its last sample is due, at QoS 0, as the agent's
/// simulator does. Devices read the synthetic feed from different offsets.</para>
/// <para>With a fill, each device first sends the samples of one window less one hop in a single
/// message, so its first window ends one hop after it starts; without one, the first window ends a
/// whole window after the start.</para>
/// </remarks>
internal sealed class DeviceFleet : IAsyncDisposable
{
    private static readonly TimeSpan ConnectTimeout = TimeSpan.FromSeconds(10);

    private readonly SyntheticFeed _feed;
    private readonly DeviceTopicFilter _topics;
    private readonly int _fillFrames;
    private readonly int _blockFrames;
    private readonly double _blockSeconds;
    private readonly Device[] _devices;

    /// <summary>Creates <paramref name="count"/> devices; none is connected yet.</summary>
    public DeviceFleet(SyntheticFeed feed, int count, double hopSeconds, int fillFrames)
    {
        ArgumentNullException.ThrowIfNull(feed);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(count);
        ArgumentOutOfRangeException.ThrowIfNegative(fillFrames);
        _feed = feed;
        _topics = DeviceTopicFilter.TryParse(MqttOptions.DefaultTopicFilter, out _)
            ?? throw new InvalidOperationException("The default sensor topic filter is invalid.");
        _fillFrames = fillFrames;
        _blockFrames = Math.Max(1, (int)Math.Round(CapacityBench.BlockSeconds * feed.RateHz));
        _blockSeconds = _blockFrames / feed.RateHz;
        _devices = new Device[count];
        for (var d = 0; d < count; d++)
        {
            _devices[d] = new Device(
                new DeviceDescriptor($"bench-{d:D4}", feed.ChannelNames, feed.RateHz),
                (long)d * feed.FrameCount / count,
                hopSeconds * d / count);
        }
    }

    /// <summary>Messages published so far.</summary>
    public long MessagesSent { get; private set; }

    /// <summary>Samples per channel published so far.</summary>
    public long SamplesSent { get; private set; }

    /// <summary>Publishes that failed (the connection was lost).</summary>
    public long PublishFailures { get; private set; }

    /// <summary>Connects every device to the broker, a batch at a time.</summary>
    /// <exception cref="InvalidOperationException">The broker refused a connection.</exception>
    public async Task ConnectAsync(string host, int port, CancellationToken cancellationToken)
    {
        const int Batch = 25;
        var factory = new MqttClientFactory();
        for (var first = 0; first < _devices.Length; first += Batch)
        {
            var batch = _devices.Skip(first).Take(Batch).Select(async device =>
            {
                var client = factory.CreateMqttClient();
                device.Client = client;
                var options = new MqttClientOptionsBuilder()
                    .WithTcpServer(host, port)
                    .WithClientId($"ssdedge-bench-{device.Descriptor.DeviceId}")
                    .WithCleanSession(true)
                    .WithTimeout(ConnectTimeout)
                    .Build();
                var result = await client.ConnectAsync(options, cancellationToken);
                if (result.ResultCode != MqttClientConnectResultCode.Success)
                {
                    throw new InvalidOperationException(
                        $"The broker at {host}:{port} refused device {device.Descriptor.DeviceId}: {result.ResultCode}.");
                }
            });
            await Task.WhenAll(batch);
        }
    }

    /// <summary>Publishes every device's blocks when due, for <paramref name="seconds"/> from now.</summary>
    public async Task RunAsync(double seconds, CancellationToken cancellationToken)
    {
        var start = Stopwatch.GetTimestamp();
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var now = Stopwatch.GetElapsedTime(start).TotalSeconds;
            if (now >= seconds)
            {
                return;
            }

            foreach (var device in _devices)
            {
                if (!device.Filled && device.PhaseSeconds <= now)
                {
                    device.Filled = true;
                    if (_fillFrames > 0)
                    {
                        await PublishAsync(device, _fillFrames, cancellationToken);
                    }
                }

                while (device.Filled && device.PhaseSeconds + ((device.BlocksSent + 1) * _blockSeconds) <= now)
                {
                    device.BlocksSent++;
                    await PublishAsync(device, _blockFrames, cancellationToken);
                }
            }

            await Task.Delay(1, cancellationToken);
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        foreach (var device in _devices)
        {
            if (device.Client is not { } client)
            {
                continue;
            }

            if (client.IsConnected)
            {
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(2));
                try
                {
                    await client.DisconnectAsync(new MqttClientDisconnectOptionsBuilder().Build(), timeout.Token);
                }
#pragma warning disable CA1031 // A failed goodbye changes nothing: the benchmark is over.
                catch (Exception)
#pragma warning restore CA1031
                {
                }
            }

            client.Dispose();
        }
    }

    private async Task PublishAsync(Device device, int frameCount, CancellationToken cancellationToken)
    {
        var block = new SampleBlock(
            device.Descriptor, device.NextSample, _feed.Read(device.FeedOffset + device.NextSample, frameCount));
        device.NextSample += frameCount;
        var message = new MqttApplicationMessageBuilder()
            .WithTopic(_topics.TopicOf(device.Descriptor.DeviceId))
            .WithPayload(SamplePayloadEncoder.ToJson(block))
            .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtMostOnce)
            .Build();
        if (device.Client is not { IsConnected: true } client)
        {
            PublishFailures++;
            return;
        }

        try
        {
            await client.PublishAsync(message, cancellationToken);
            MessagesSent++;
            SamplesSent += frameCount;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            PublishFailures++;
        }
    }

    private sealed class Device(DeviceDescriptor descriptor, long feedOffset, double phaseSeconds)
    {
        public DeviceDescriptor Descriptor { get; } = descriptor;

        public long FeedOffset { get; } = feedOffset;

        public double PhaseSeconds { get; } = phaseSeconds;

        public IMqttClient? Client { get; set; }

        public bool Filled { get; set; }

        public long NextSample { get; set; }

        public long BlocksSent { get; set; }
    }
}
