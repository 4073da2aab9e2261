namespace SsdEdge.EdgeAgent.Sources.Mqtt;

/// <summary>Snapshot of the MQTT source's connection, for health checks and metrics.</summary>
/// <param name="Broker">Broker as <c>host:port</c> once resolved; before that, the configured host
/// or "the embedded broker".</param>
/// <param name="Running">Whether the source is being read; false before the agent starts reading
/// it and after it stops.</param>
/// <param name="Connected">Whether the client is connected and subscribed.</param>
/// <param name="Reconnects">Times the client connected and subscribed again after its first
/// successful connection.</param>
/// <param name="LastError">Why the connection was last lost or an attempt failed, or null.</param>
public sealed record MqttSourceStatus(
    string Broker,
    bool Running,
    bool Connected,
    int Reconnects,
    string? LastError);
