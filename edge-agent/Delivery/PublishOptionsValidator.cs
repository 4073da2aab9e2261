using System.Globalization;
using Microsoft.Extensions.Options;

namespace SsdEdge.EdgeAgent.Delivery;

/// <summary>Checks <see cref="PublishOptions"/> at start; each message names the setting, the value
/// found and what is allowed. The password is never part of a message.</summary>
public sealed class PublishOptionsValidator : IValidateOptions<PublishOptions>
{
    internal const string PortAllowed =
        "a TCP port from 1 to 65535, or 0 for a free port of the embedded broker when Publish:Host is empty";
    internal const string SecondsAllowed = "seconds from 0.1 to 3600";
    internal const string CapacityAllowed = "a whole number from 10 to 10000000";
    internal const string BacklogAllowed = "a whole number from 1 to Publish:OutboxCapacity";
    internal const string DrainAllowed = "seconds from 0 to 600";
    internal const string TopicLevelAllowed =
        "a non-empty MQTT topic level without '/', '+', '#' or control characters";

    /// <inheritdoc />
    public ValidateOptionsResult Validate(string? name, PublishOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>(options.BindingFailures);
        if (options.Port is < 0 or > 65535 || (options.Port == 0 && !string.IsNullOrWhiteSpace(options.Host)))
        {
            failures.Add(Invalid(nameof(options.Port), Format(options.Port), PortAllowed));
        }

        CheckSeconds(nameof(options.PublishTimeoutSeconds), options.PublishTimeoutSeconds, failures);
        CheckSeconds(nameof(options.ProbeIntervalSeconds), options.ProbeIntervalSeconds, failures);
        CheckSeconds(nameof(options.MaxReconnectDelaySeconds), options.MaxReconnectDelaySeconds, failures);
        if (options.OutboxCapacity is < 10 or > 10_000_000)
        {
            failures.Add(Invalid(nameof(options.OutboxCapacity), Format(options.OutboxCapacity), CapacityAllowed));
        }

        if (options.OutboxBacklogWarning < 1 || options.OutboxBacklogWarning > options.OutboxCapacity)
        {
            failures.Add(Invalid(
                nameof(options.OutboxBacklogWarning),
                Format(options.OutboxBacklogWarning),
                $"{BacklogAllowed} ({Format(options.OutboxCapacity)})"));
        }

        if (!double.IsFinite(options.DrainSeconds) || options.DrainSeconds is < 0 or > 600)
        {
            failures.Add(Invalid(nameof(options.DrainSeconds), Format(options.DrainSeconds), DrainAllowed));
        }

        CheckTopicLevel(nameof(options.TopicPrefix), options.TopicPrefix, failures);
        CheckTopicLevel(nameof(options.AgentId), options.EffectiveAgentId, failures);
        CheckTopicLevel("HomeAssistant:DiscoveryPrefix", options.HomeAssistant.DiscoveryPrefix, failures);
        if (options.Host.Any(char.IsWhiteSpace))
        {
            failures.Add(Invalid(nameof(options.Host), $"'{options.Host}'", "a host name or address, or empty"));
        }

        if (!string.IsNullOrWhiteSpace(options.CaFile) && !File.Exists(options.CaFile))
        {
            failures.Add(
                $"{PublishOptions.SectionName}:CaFile = '{options.CaFile}' was not found; use the path of "
                + "a PEM or DER certificate file, or leave it empty for the system's trusted roots.");
        }

        if (!string.IsNullOrWhiteSpace(options.CaFile) && !options.UseTls)
        {
            failures.Add(
                $"{PublishOptions.SectionName}:CaFile is set but {PublishOptions.SectionName}:UseTls = false; "
                + "set UseTls to true or leave CaFile empty.");
        }

        if (!string.IsNullOrEmpty(options.Password) && string.IsNullOrEmpty(options.Username))
        {
            failures.Add(
                $"{PublishOptions.SectionName}:Password is set but {PublishOptions.SectionName}:Username is "
                + "empty; set the user name too.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static void CheckSeconds(string setting, double value, List<string> failures)
    {
        if (!double.IsFinite(value) || value is < 0.1 or > 3600)
        {
            failures.Add(Invalid(setting, Format(value), SecondsAllowed));
        }
    }

    private static void CheckTopicLevel(string setting, string value, List<string> failures)
    {
        if (!TopicNames.IsValidLevel(value))
        {
            failures.Add(Invalid(setting, $"'{value}'", TopicLevelAllowed));
        }
    }

    private static string Invalid(string setting, string value, string allowed) =>
        $"{PublishOptions.SectionName}:{setting} = {value} is invalid; use {allowed}.";

    private static string Format(double value) => value.ToString("R", CultureInfo.InvariantCulture);

    private static string Format(int value) => value.ToString(CultureInfo.InvariantCulture);
}
