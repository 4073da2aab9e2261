using System.Buffers.Binary;
using System.Text.Json;
using MQTTnet;
using MQTTnet.Protocol;

namespace SsdEdge.EdgeAgent.Tests.Support;

/// <summary>An MQTT client that publishes sample payloads, written here independently of the
/// agent's encoder, to a broker on 127.0.0.1.</summary>
public sealed class TestPublisher : IAsyncDisposable
{
    private readonly IMqttClient _client;

    private TestPublisher(IMqttClient client)
    {
        _client = client;
    }

    public static async Task<TestPublisher> ConnectAsync(int port, CancellationToken cancellationToken)
    {
        var client = new MqttClientFactory().CreateMqttClient();
        var options = new MqttClientOptionsBuilder()
            .WithTcpServer("127.0.0.1", port)
            .WithClientId("ssdedge-test-publisher")
            .Build();
        var result = await client.ConnectAsync(options, cancellationToken);
        if (result.ResultCode != MqttClientConnectResultCode.Success)
        {
            throw new InvalidOperationException($"The test publisher was rejected: {result.ResultCode}.");
        }

        return new TestPublisher(client);
    }

    public static string TopicOf(string deviceId) => $"ssdedge/sensors/{deviceId}/samples";

    /// <summary>Builds a JSON payload; channels are columns of samples, NaN written as null.</summary>
    public static byte[] Json(long seq, double? rate, IReadOnlyList<(string Name, float[] Samples)> channels)
    {
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream))
        {
            writer.WriteStartObject();
            writer.WriteNumber("seq", seq);
            if (rate is { } hz)
            {
                writer.WriteNumber("rate", hz);
            }

            writer.WriteStartObject("channels");
            foreach (var (name, samples) in channels)
            {
                writer.WriteStartArray(name);
                foreach (var sample in samples)
                {
                    if (float.IsNaN(sample))
                    {
                        writer.WriteNullValue();
                    }
                    else
                    {
                        writer.WriteNumberValue(sample);
                    }
                }

                writer.WriteEndArray();
            }

            writer.WriteEndObject();
            writer.WriteEndObject();
        }

        return stream.ToArray();
    }

    /// <summary>Builds a binary payload from columns of samples, interleaving them by frame.</summary>
    public static byte[] Binary(long seq, IReadOnlyList<float[]> columns, uint? declaredFrames = null)
    {
        var frames = columns[0].Length;
        var bytes = new byte[18 + (frames * columns.Count * 4)];
        "SSDB"u8.CopyTo(bytes);
        bytes[4] = 1;
        bytes[5] = (byte)columns.Count;
        BinaryPrimitives.WriteUInt64LittleEndian(bytes.AsSpan(6), (ulong)seq);
        BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(14), declaredFrames ?? (uint)frames);
        for (var t = 0; t < frames; t++)
        {
            for (var c = 0; c < columns.Count; c++)
            {
                BinaryPrimitives.WriteSingleLittleEndian(bytes.AsSpan(18 + (((t * columns.Count) + c) * 4)), columns[c][t]);
            }
        }

        return bytes;
    }

    public async Task PublishAsync(string topic, byte[] payload, CancellationToken cancellationToken)
    {
        var message = new MqttApplicationMessageBuilder()
            .WithTopic(topic)
            .WithPayload(payload)
            .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce)
            .Build();
        var result = await _client.PublishAsync(message, cancellationToken);
        if (!result.IsSuccess)
        {
            throw new InvalidOperationException($"Publishing to {topic} failed: {result.ReasonCode}.");
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_client.IsConnected)
        {
            await _client.DisconnectAsync(new MqttClientDisconnectOptionsBuilder().Build());
        }

        _client.Dispose();
    }
}
