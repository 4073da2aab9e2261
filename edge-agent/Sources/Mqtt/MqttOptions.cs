namespace SsdEdge.EdgeAgent.Sources.Mqtt;

/// <summary>
/// Settings of the MQTT source and the embedded broker, bound from the <c>Mqtt</c> configuration
/// section.
/// </summary>
public sealed class MqttOptions
{
    /// <summary>Configuration section the options are bound from.</summary>
    public const string SectionName = "Mqtt";

    /// <summary>Default topic filter; the <c>+</c> level is the device id.</summary>
    public const string DefaultTopicFilter = "ssdedge/sensors/+/samples";

    /// <summary>Default and largest payload accepted, in bytes (256 KiB and 16 MiB).</summary>
    public const int DefaultMaxPayloadBytes = 256 * 1024;

    /// <summary>Largest value of <see cref="MaxPayloadBytes"/>.</summary>
    public const int MaxMaxPayloadBytes = 16 * 1024 * 1024;

    /// <summary>Largest value of <see cref="MaxDevices"/>.</summary>
    public const int MaxMaxDevices = 10_000;

    /// <summary>Whether the MQTT source runs (<c>--mqtt</c>). Unset: on, unless a replay is
    /// configured.</summary>
    public bool? Enabled { get; set; }

    /// <summary>Broker host name or address (<c>--mqtt-host</c>); empty starts the embedded broker
    /// on 127.0.0.1 and subscribes to it.</summary>
    public string Host { get; set; } = "";

    /// <summary>Broker TCP port, 1 to 65535, or 0 for the embedded broker to pick a free port
    /// (<c>--mqtt-port</c>).</summary>
    public int Port { get; set; } = 1883;

    /// <summary>Client identifier the agent connects with (<c>--mqtt-client-id</c>).</summary>
    public string ClientId { get; set; } = "ssdedge-agent";

    /// <summary>User name, or empty to connect without credentials (<c>Mqtt:Username</c>).</summary>
    public string Username { get; set; } = "";

    /// <summary>Password sent with <see cref="Username"/>; set it in the settings file or the
    /// <c>SSDEDGE_Mqtt__Password</c> environment variable, never on the command line.</summary>
    public string Password { get; set; } = "";

    /// <summary>Whether to connect with TLS, validating the broker's certificate
    /// (<c>--mqtt-tls</c>).</summary>
    public bool UseTls { get; set; }

    /// <summary>PEM or DER file of the certificate authority that signed the broker's certificate,
    /// for a broker with a private authority; empty (the default) uses the system's trusted roots
    /// (<c>--mqtt-ca-file</c>).</summary>
    public string CaFile { get; set; } = "";

    /// <summary>Topic filter subscribed to, with exactly one <c>+</c> level that names the device
    /// (<c>--mqtt-topic</c>).</summary>
    public string TopicFilter { get; set; } = DefaultTopicFilter;

    /// <summary>Largest payload accepted, in bytes, 18 to <see cref="MaxMaxPayloadBytes"/>
    /// (<c>--mqtt-max-payload-bytes</c>).</summary>
    public int MaxPayloadBytes { get; set; } = DefaultMaxPayloadBytes;

    /// <summary>Sampling rate of binary payloads and of JSON payloads without <c>rate</c>, in Hz;
    /// 0 takes the model's input rate (<c>--mqtt-rate</c>).</summary>
    public double RateHz { get; set; }

    /// <summary>Most devices the source accepts, 1 to <see cref="MaxMaxDevices"/>; messages of
    /// further devices are dropped and counted (<c>--mqtt-max-devices</c>).</summary>
    public int MaxDevices { get; set; } = 32;
}
