namespace SsdEdge.EdgeAgent.Delivery;

/// <summary>What an outbox message carries; alerts are kept longest when the outbox is full.</summary>
public enum OutboxKind : byte
{
    /// <summary>A raise or clear event, written to disk with fsync before it is published.</summary>
    Alert = 1,

    /// <summary>A device's retained alert state.</summary>
    State = 2,

    /// <summary>One window's output.</summary>
    Window = 3,
}

/// <summary>One MQTT message waiting in the outbox, published with QoS 1.</summary>
/// <param name="Topic">MQTT topic.</param>
/// <param name="Payload">UTF-8 JSON payload.</param>
/// <param name="Retain">Whether the broker keeps it as the topic's retained message.</param>
/// <param name="Kind">Alert, state or window output.</param>
/// <param name="SampleReceivedUtc">When the last sample behind the message reached the agent, or null;
/// the publisher writes the time since then into the payload's <c>latencyMs</c>.</param>
public sealed record OutboxMessage(
    string Topic,
    ReadOnlyMemory<byte> Payload,
    bool Retain,
    OutboxKind Kind,
    DateTimeOffset? SampleReceivedUtc);

/// <summary>A stored message and its place in the publishing order.</summary>
/// <param name="Sequence">Position in the order of appends, kept across restarts.</param>
/// <param name="Message">The message.</param>
public sealed record OutboxEntry(long Sequence, OutboxMessage Message);
