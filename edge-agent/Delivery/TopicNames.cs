using System.Text;

namespace SsdEdge.EdgeAgent.Delivery;

/// <summary>The agent's MQTT topic tree: <c>{prefix}/{agent}/status</c> and
/// <c>{prefix}/{agent}/{device}/alert|state|window</c>.</summary>
public sealed class TopicNames
{
    /// <summary>Creates the names for one prefix and agent id, both valid topic levels.</summary>
    public TopicNames(string prefix, string agentId)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(prefix);
        ArgumentException.ThrowIfNullOrWhiteSpace(agentId);
        Root = $"{prefix}/{agentId}";
    }

    /// <summary><c>{prefix}/{agent}</c>.</summary>
    public string Root { get; }

    /// <summary>Retained agent status and health; the last will sets it to offline.</summary>
    public string Status => $"{Root}/status";

    /// <summary>Raise and clear events of one device.</summary>
    public string Alert(string deviceId) => $"{Root}/{Sanitize(deviceId)}/alert";

    /// <summary>Retained alert state of one device.</summary>
    public string State(string deviceId) => $"{Root}/{Sanitize(deviceId)}/state";

    /// <summary>Window outputs of one device.</summary>
    public string Window(string deviceId) => $"{Root}/{Sanitize(deviceId)}/window";

    /// <summary>Returns whether <paramref name="level"/> is one non-empty topic level without
    /// wildcards, separators or control characters.</summary>
    public static bool IsValidLevel(string? level) =>
        !string.IsNullOrWhiteSpace(level) && level.All(c => c is not ('/' or '+' or '#') && !char.IsControl(c));

    /// <summary>Returns <paramref name="deviceId"/> as one topic level: <c>/</c>, <c>+</c>, <c>#</c>,
    /// white space and control characters become <c>_</c>, and an empty id becomes <c>_</c>.</summary>
    public static string Sanitize(string deviceId)
    {
        ArgumentNullException.ThrowIfNull(deviceId);
        if (deviceId.Length == 0)
        {
            return "_";
        }

        var builder = new StringBuilder(deviceId.Length);
        foreach (var c in deviceId)
        {
            builder.Append(c is '/' or '+' or '#' || char.IsControl(c) || char.IsWhiteSpace(c) ? '_' : c);
        }

        return builder.ToString();
    }
}
