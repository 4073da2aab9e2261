using System.Text;
using System.Text.Json;

namespace SsdEdge.EdgeAgent.Delivery;

/// <summary>
/// Home Assistant MQTT discovery configurations: per device a <c>binary_sensor</c> for the pain
/// state and <c>sensor</c>s for the pain probability and the signal quality, available while the
/// agent's status topic reports online.
/// </summary>
public sealed class HomeAssistantDiscovery
{
    private readonly string _prefix;
    private readonly TopicNames _topics;
    private readonly string _agentId;

    /// <summary>Creates the configurations for one discovery prefix and agent.</summary>
    public HomeAssistantDiscovery(string discoveryPrefix, TopicNames topics, string agentId)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(discoveryPrefix);
        ArgumentNullException.ThrowIfNull(topics);
        ArgumentException.ThrowIfNullOrWhiteSpace(agentId);
        _prefix = discoveryPrefix;
        _topics = topics;
        _agentId = agentId;
    }

    /// <summary>Topic on which Home Assistant announces itself with <c>online</c>.</summary>
    public string BirthTopic => $"{_prefix}/status";

    /// <summary>Returns the retained discovery messages of one device.</summary>
    public IReadOnlyList<(string Topic, byte[] Payload)> ConfigurationsFor(string deviceId, string? modelId)
    {
        ArgumentNullException.ThrowIfNull(deviceId);
        var node = ObjectId(_agentId);
        var device = ObjectId(deviceId);
        return
        [
            ($"{_prefix}/binary_sensor/{node}/{device}_pain/config", Config(deviceId, modelId, writer =>
            {
                writer.WriteString("name", "Pain");
                writer.WriteString("unique_id", $"ssdedge_{node}_{device}_pain");
                writer.WriteString("state_topic", _topics.State(deviceId));
                writer.WriteString("value_template", "{{ value_json.state }}");
                writer.WriteString("payload_on", "raised");
                writer.WriteString("payload_off", "clear");
                writer.WriteString("device_class", "problem");
            })),
            ($"{_prefix}/sensor/{node}/{device}_probability/config", Config(deviceId, modelId, writer =>
            {
                writer.WriteString("name", "Pain probability");
                writer.WriteString("unique_id", $"ssdedge_{node}_{device}_probability");
                writer.WriteString("state_topic", _topics.Window(deviceId));
                writer.WriteString("value_template", "{{ value_json.painProbability }}");
                writer.WriteString("state_class", "measurement");
            })),
            ($"{_prefix}/sensor/{node}/{device}_quality/config", Config(deviceId, modelId, writer =>
            {
                writer.WriteString("name", "Signal quality");
                writer.WriteString("unique_id", $"ssdedge_{node}_{device}_quality");
                writer.WriteString("state_topic", _topics.Window(deviceId));
                writer.WriteString("value_template", "{{ value_json.quality }}");
                writer.WriteString("state_class", "measurement");
            })),
        ];
    }

    /// <summary>Returns <paramref name="value"/> with every character outside
    /// <c>[a-zA-Z0-9_-]</c> replaced by <c>_</c>, as discovery node and object ids require.</summary>
    public static string ObjectId(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        var builder = new StringBuilder(value.Length);
        foreach (var c in value)
        {
            builder.Append(char.IsAsciiLetterOrDigit(c) || c is '_' or '-' ? c : '_');
        }

        return builder.Length == 0 ? "_" : builder.ToString();
    }

    private byte[] Config(string deviceId, string? modelId, Action<Utf8JsonWriter> entity)
    {
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream))
        {
            writer.WriteStartObject();
            entity(writer);
            writer.WriteStartArray("availability");
            writer.WriteStartObject();
            writer.WriteString("topic", _topics.Status);
            writer.WriteString("value_template", "{{ value_json.state }}");
            writer.WriteString("payload_available", "online");
            writer.WriteString("payload_not_available", "offline");
            writer.WriteEndObject();
            writer.WriteEndArray();
            writer.WriteStartObject("device");
            writer.WriteStartArray("identifiers");
            writer.WriteStringValue($"ssdedge_{ObjectId(_agentId)}_{ObjectId(deviceId)}");
            writer.WriteEndArray();
            writer.WriteString("name", $"SsdEdge {deviceId}");
            writer.WriteString("manufacturer", "SsdEdge");
            writer.WriteString("model", modelId ?? "unknown model");
            writer.WriteEndObject();
            writer.WriteEndObject();
        }

        return stream.ToArray();
    }
}
