using System.Globalization;
using System.Text.Json;
using SsdEdge.EdgeAgent.Pipeline;

namespace SsdEdge.EdgeAgent.Alerts;

/// <summary>One raise or clear event.</summary>
/// <param name="Id">UUID version 7, unique per event and kept by every redelivery.</param>
/// <param name="Type"><c>raise</c> or <c>clear</c>.</param>
/// <param name="DeviceId">Device the evidence came from.</param>
/// <param name="ModelId">Model that scored the window.</param>
/// <param name="WindowEndSeconds">End of the deciding window in device time, in seconds.</param>
/// <param name="WindowEndSample">Index one past the deciding window's last sample.</param>
/// <param name="WindowEndUtc">When the block holding the window's last sample reached the agent.</param>
/// <param name="Probability">Pain probability of the deciding window.</param>
/// <param name="Quality">Quality-gate score of the deciding window, 0 to 1.</param>
public sealed record AlertEvent(
    Guid Id,
    string Type,
    string DeviceId,
    string ModelId,
    double WindowEndSeconds,
    long WindowEndSample,
    DateTimeOffset WindowEndUtc,
    double Probability,
    double Quality);

/// <summary>Builds the JSON payloads of the alert, state, window and status topics; the schemas are
/// in <c>docs/schemas</c>.</summary>
public static class AlertMessages
{
    /// <summary>Schema id of alert events.</summary>
    public const string AlertSchema = "ssdedge/alert/1";

    /// <summary>Schema id of device states.</summary>
    public const string StateSchema = "ssdedge/state/1";

    /// <summary>Schema id of window outputs.</summary>
    public const string WindowSchema = "ssdedge/window/1";

    /// <summary>Schema id of the agent status.</summary>
    public const string StatusSchema = "ssdedge/status/1";

    /// <summary>Builds an alert event payload; the publisher adds <c>latencyMs</c>.</summary>
    public static byte[] Alert(AlertEvent alert, string agentId, AlertOptions options)
    {
        ArgumentNullException.ThrowIfNull(alert);
        ArgumentNullException.ThrowIfNull(options);
        return Write(writer =>
        {
            writer.WriteString("schema", AlertSchema);
            writer.WriteString("id", alert.Id);
            writer.WriteString("type", alert.Type);
            writer.WriteString("agentId", agentId);
            writer.WriteString("deviceId", alert.DeviceId);
            writer.WriteString("modelId", alert.ModelId);
            writer.WriteNumber("windowEndSeconds", alert.WindowEndSeconds);
            writer.WriteNumber("windowEndSample", alert.WindowEndSample);
            writer.WriteString("windowEndUtc", FormatUtc(alert.WindowEndUtc));
            writer.WriteNumber("probability", Round(alert.Probability));
            writer.WriteNumber("quality", Round(alert.Quality));
            writer.WriteNumber("threshold", options.Threshold);
            writer.WriteNumber("clearThreshold", options.ClearThreshold);
        });
    }

    /// <summary>Builds a device state payload.</summary>
    public static byte[] State(
        string agentId,
        string deviceId,
        AlertState state,
        AlertEvent? lastEvent,
        DateTimeOffset updatedUtc)
    {
        return Write(writer =>
        {
            writer.WriteString("schema", StateSchema);
            writer.WriteString("agentId", agentId);
            writer.WriteString("deviceId", deviceId);
            writer.WriteString("state", state == AlertState.Raised ? "raised" : "clear");
            if (lastEvent is null)
            {
                writer.WriteNull("lastEventId");
                writer.WriteNull("sinceUtc");
                writer.WriteNull("probability");
            }
            else
            {
                writer.WriteString("lastEventId", lastEvent.Id);
                writer.WriteString("sinceUtc", FormatUtc(lastEvent.WindowEndUtc));
                writer.WriteNumber("probability", Round(lastEvent.Probability));
            }

            writer.WriteString("updatedUtc", FormatUtc(updatedUtc));
        });
    }

    /// <summary>Builds a window output payload; the publisher adds <c>latencyMs</c>.</summary>
    public static byte[] Window(
        WindowResult result,
        string agentId,
        IReadOnlyList<string> classLabels,
        int positiveClassIndex,
        DateTimeOffset windowEndUtc)
    {
        ArgumentNullException.ThrowIfNull(result);
        ArgumentNullException.ThrowIfNull(classLabels);
        return Write(writer =>
        {
            writer.WriteString("schema", WindowSchema);
            writer.WriteString("agentId", agentId);
            writer.WriteString("deviceId", result.DeviceId);
            writer.WriteNumber("windowEndSeconds", result.EndSeconds);
            writer.WriteNumber("windowEndSample", result.EndSample);
            writer.WriteString("windowEndUtc", FormatUtc(windowEndUtc));
            writer.WriteString("outcome", Observability.AgentMetrics.OutcomeLabel(result.Outcome));
            WriteNumberOrNull(writer, "quality", result.Quality.Score);
            writer.WriteStartArray("qualityIssues");
            foreach (var issue in Enum.GetValues<SsdEdge.Preprocessing.QualityIssues>())
            {
                if (issue != SsdEdge.Preprocessing.QualityIssues.None && result.Quality.Issues.HasFlag(issue))
                {
                    writer.WriteStringValue(issue.ToString());
                }
            }

            writer.WriteEndArray();
            writer.WriteStartObject("probabilities");
            for (var i = 0; i < result.Probabilities.Count && i < classLabels.Count; i++)
            {
                WriteNumberOrNull(writer, classLabels[i], result.Probabilities[i]);
            }

            writer.WriteEndObject();
            if (result.Outcome == WindowOutcome.Scored && positiveClassIndex < result.Probabilities.Count)
            {
                WriteNumberOrNull(writer, "painProbability", result.Probabilities[positiveClassIndex]);
            }
            else
            {
                writer.WriteNull("painProbability");
            }

            if (result.LatencyMs is { } inference)
            {
                writer.WriteNumber("inferenceMs", Math.Round(inference, 3));
            }
            else
            {
                writer.WriteNull("inferenceMs");
            }
        });
    }

    /// <summary>Builds the agent status payload; <paramref name="online"/> false gives the last will.</summary>
    public static byte[] Status(
        string agentId,
        bool online,
        string? health,
        IReadOnlyList<string> reasons,
        string? modelId,
        int? outboxMessages,
        DateTimeOffset updatedUtc)
    {
        ArgumentNullException.ThrowIfNull(reasons);
        return Write(writer =>
        {
            writer.WriteString("schema", StatusSchema);
            writer.WriteString("agentId", agentId);
            writer.WriteString("state", online ? "online" : "offline");
            if (health is null)
            {
                writer.WriteNull("health");
            }
            else
            {
                writer.WriteString("health", health);
            }

            writer.WriteStartArray("reasons");
            foreach (var reason in reasons)
            {
                writer.WriteStringValue(reason);
            }

            writer.WriteEndArray();
            if (modelId is null)
            {
                writer.WriteNull("modelId");
            }
            else
            {
                writer.WriteString("modelId", modelId);
            }

            if (outboxMessages is { } depth)
            {
                writer.WriteNumber("outboxMessages", depth);
            }
            else
            {
                writer.WriteNull("outboxMessages");
            }

            writer.WriteString("updatedUtc", FormatUtc(updatedUtc));
        });
    }

    /// <summary>Formats a time as ISO 8601 UTC with milliseconds.</summary>
    public static string FormatUtc(DateTimeOffset time) =>
        time.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture);

    private static double Round(double value) => Math.Round(value, 6);

    // JSON has no NaN or infinity, so a non-finite value is written as null.
    private static void WriteNumberOrNull(Utf8JsonWriter writer, string name, double value)
    {
        if (double.IsFinite(value))
        {
            writer.WriteNumber(name, Round(value));
        }
        else
        {
            writer.WriteNull(name);
        }
    }

    private static byte[] Write(Action<Utf8JsonWriter> body)
    {
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream))
        {
            writer.WriteStartObject();
            body(writer);
            writer.WriteEndObject();
        }

        return stream.ToArray();
    }
}
