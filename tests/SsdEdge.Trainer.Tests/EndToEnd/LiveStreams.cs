using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using MQTTnet;
using MQTTnet.Protocol;
using SsdEdge.Signals;

namespace SsdEdge.Trainer.Tests.EndToEnd;

/// <summary>Streams a recording to the agent as a device would: line protocol into a serial
/// pseudo-terminal, or JSON sample payloads to an MQTT broker, in random chunk sizes.</summary>
internal static class LiveStreams
{
    /// <summary>Writes <paramref name="recording"/> to the device end of <paramref name="pair"/> in the
    /// line protocol <c>seq,channel...</c>, in byte chunks of random size that split lines anywhere,
    /// at <paramref name="speed"/> times real time.</summary>
    public static void WriteSerial(
        PseudoTerminalPair pair,
        Recording recording,
        IReadOnlyList<string> channels,
        double speed,
        int seed,
        CancellationToken cancellationToken)
    {
        // The agent drops bytes up to the first line end after it opens the port; writing before it
        // is open would also leave the start of the stream to the pseudo-terminal's buffering.
        var open = Stopwatch.StartNew();
        while (!pair.AgentEndIsOpen())
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (open.Elapsed > TimeSpan.FromSeconds(30))
            {
                throw new TimeoutException($"The agent did not open {pair.AgentPath} within 30 s.");
            }

            Thread.Sleep(20);
        }

        Thread.Sleep(300);
        var (bytes, lineEnds) = LineProtocol(recording, channels);
        using var device = new FileStream(pair.DevicePath, FileMode.Open, FileAccess.Write, FileShare.ReadWrite, 1);
        var random = new Random(seed);
        var clock = Stopwatch.StartNew();
        var position = 0;
        while (position < bytes.Length)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var due = (int)Math.Min(lineEnds.Length, clock.Elapsed.TotalSeconds * speed * recording.SamplingRateHz);
            var allowed = due == 0 ? lineEnds[0] : lineEnds[due - 1];
            if (allowed <= position)
            {
                Thread.Sleep(5);
                continue;
            }

            var length = Math.Min(random.Next(1, 512), allowed - position);
            device.Write(bytes, position, length);
            device.Flush();
            position += length;
        }
    }

    /// <summary>Publishes <paramref name="recording"/> as JSON sample payloads of random length on
    /// <c>ssdedge/sensors/DEVICE/samples</c>, at <paramref name="speed"/> times real time.</summary>
    /// <remarks>The agent's MQTT source subscribes with a clean session, so samples published before it
    /// subscribes are lost. The first message therefore carries exactly the first window and is
    /// published again until <paramref name="firstWindowSeen"/> reports that window; repeats that
    /// arrive later are dropped by the agent as duplicates.</remarks>
    public static async Task PublishMqttAsync(
        int port,
        string deviceId,
        Recording recording,
        IReadOnlyList<string> channels,
        int firstWindowSamples,
        Func<bool> firstWindowSeen,
        double speed,
        int seed,
        CancellationToken cancellationToken)
    {
        using var client = new MqttClientFactory().CreateMqttClient();
        var options = new MqttClientOptionsBuilder()
            .WithTcpServer("127.0.0.1", port)
            .WithClientId($"chain-sensor-{deviceId}")
            .Build();
        await client.ConnectAsync(options, cancellationToken);
        var topic = $"ssdedge/sensors/{deviceId}/samples";
        var columns = channels.Select(name => recording.Samples[recording.IndexOfChannel(name)]).ToArray();

        var first = Payload(channels, columns, 0, firstWindowSamples, recording.SamplingRateHz);
        var handshake = Stopwatch.StartNew();
        while (!firstWindowSeen())
        {
            if (handshake.Elapsed > TimeSpan.FromSeconds(60))
            {
                throw new TimeoutException($"The agent produced no window for {deviceId} within 60 s.");
            }

            await Publish(client, topic, first, cancellationToken);
            await Task.Delay(250, cancellationToken);
        }

        var random = new Random(seed);
        var clock = Stopwatch.StartNew();
        var next = firstWindowSamples;
        while (next < recording.Length)
        {
            var count = Math.Min(random.Next(1, 121), recording.Length - next);
            var due = firstWindowSamples + (clock.Elapsed.TotalSeconds * speed * recording.SamplingRateHz);
            if (next + count > due)
            {
                await Task.Delay(5, cancellationToken);
                continue;
            }

            await Publish(client, topic, Payload(channels, columns, next, count, recording.SamplingRateHz), cancellationToken);
            next += count;
        }

        await client.DisconnectAsync(cancellationToken: cancellationToken);
    }

    private static async Task Publish(IMqttClient client, string topic, byte[] payload, CancellationToken cancellationToken)
    {
        var message = new MqttApplicationMessageBuilder()
            .WithTopic(topic)
            .WithPayload(payload)
            .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce)
            .Build();
        await client.PublishAsync(message, cancellationToken);
    }

    /// <summary>Builds the documented JSON payload; floats are written in their shortest round-trip
    /// form, so the agent reads back the recording's exact values.</summary>
    private static byte[] Payload(IReadOnlyList<string> channels, float[][] columns, int start, int count, double rateHz)
    {
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream))
        {
            writer.WriteStartObject();
            writer.WriteNumber("seq", start);
            writer.WriteNumber("rate", rateHz);
            writer.WriteStartObject("channels");
            for (var c = 0; c < channels.Count; c++)
            {
                writer.WriteStartArray(channels[c]);
                foreach (var sample in columns[c].AsSpan(start, count))
                {
                    if (float.IsFinite(sample))
                    {
                        writer.WriteNumberValue(sample);
                    }
                    else
                    {
                        writer.WriteNullValue();
                    }
                }

                writer.WriteEndArray();
            }

            writer.WriteEndObject();
            writer.WriteEndObject();
        }

        return stream.ToArray();
    }

    private static (byte[] Bytes, int[] LineEnds) LineProtocol(Recording recording, IReadOnlyList<string> channels)
    {
        var columns = channels.Select(name => recording.Samples[recording.IndexOfChannel(name)]).ToArray();
        var text = new StringBuilder("\nseq,").AppendJoin(',', channels).Append('\n');
        var lineEnds = new int[recording.Length];
        var bytes = new List<byte>();
        bytes.AddRange(Encoding.ASCII.GetBytes(text.ToString()));
        for (var i = 0; i < recording.Length; i++)
        {
            text.Clear().Append(CultureInfo.InvariantCulture, $"{i}");
            foreach (var column in columns)
            {
                // "R" is the shortest string that parses back to the same float.
                text.Append(',').Append(column[i].ToString("R", CultureInfo.InvariantCulture));
            }

            bytes.AddRange(Encoding.ASCII.GetBytes(text.Append('\n').ToString()));
            lineEnds[i] = bytes.Count;
        }

        return ([.. bytes], lineEnds);
    }
}

/// <summary>An MQTT client that records every message under a topic filter.</summary>
internal sealed class BrokerSubscriber : IAsyncDisposable
{
    private readonly IMqttClient _client;
    private readonly ConcurrentQueue<(string Topic, string Payload)> _messages = new();

    private BrokerSubscriber(IMqttClient client)
    {
        _client = client;
        _client.ApplicationMessageReceivedAsync += arguments =>
        {
            var message = arguments.ApplicationMessage;
            _messages.Enqueue((message.Topic, Encoding.UTF8.GetString(message.Payload)));
            return Task.CompletedTask;
        };
    }

    public IReadOnlyList<(string Topic, string Payload)> Messages => [.. _messages];

    public static async Task<BrokerSubscriber> ConnectAsync(int port, string filter, CancellationToken cancellationToken)
    {
        var client = new MqttClientFactory().CreateMqttClient();
        var subscriber = new BrokerSubscriber(client);
        var options = new MqttClientOptionsBuilder()
            .WithTcpServer("127.0.0.1", port)
            .WithClientId("chain-subscriber")
            .Build();
        await client.ConnectAsync(options, cancellationToken);
        await client.SubscribeAsync(filter, MqttQualityOfServiceLevel.AtLeastOnce, cancellationToken);
        return subscriber;
    }

    public async ValueTask DisposeAsync()
    {
        if (_client.IsConnected)
        {
            await _client.DisconnectAsync();
        }

        _client.Dispose();
    }
}
