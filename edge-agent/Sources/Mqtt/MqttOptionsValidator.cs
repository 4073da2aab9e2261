using System.Globalization;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace SsdEdge.EdgeAgent.Sources.Mqtt;

/// <summary>Checks <see cref="MqttOptions"/> at start; each message names the setting, where its
/// value came from, the value and what is allowed. The password is never shown.</summary>
public sealed class MqttOptionsValidator : IValidateOptions<MqttOptions>
{
    private readonly IConfiguration? _configuration;

    /// <summary>Creates a validator whose messages name the source in
    /// <paramref name="configuration"/> that set each value, or the switch when it is null.</summary>
    public MqttOptionsValidator(IConfiguration? configuration = null)
    {
        _configuration = configuration;
    }

    /// <inheritdoc />
    public ValidateOptionsResult Validate(string? name, MqttOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        if (options.Port is < 0 or > 65535 || (options.Port == 0 && !string.IsNullOrEmpty(options.Host)))
        {
            failures.Add(Invalid(AgentSetting.MqttPort, options.Port.ToString(CultureInfo.InvariantCulture)));
        }

        if (options.Host.Any(char.IsWhiteSpace) || options.Host.Contains('/', StringComparison.Ordinal))
        {
            failures.Add(Invalid(AgentSetting.MqttHost, $"'{options.Host}'"));
        }

        if (string.IsNullOrEmpty(options.ClientId) || options.ClientId.Length > 64
            || options.ClientId.Any(char.IsControl))
        {
            failures.Add(Invalid(AgentSetting.MqttClientId, $"'{options.ClientId}'"));
        }

        if (DeviceTopicFilter.TryParse(options.TopicFilter, out var problem) is null)
        {
            failures.Add(
                $"{AgentSetting.MqttTopicFilter.Describe(_configuration)} = '{options.TopicFilter}' is invalid: "
                + $"{problem}; use {AgentSetting.MqttTopicFilter.Allowed}.");
        }

        if (options.MaxPayloadBytes is < 64 or > MqttOptions.MaxMaxPayloadBytes)
        {
            failures.Add(Invalid(
                AgentSetting.MqttMaxPayloadBytes, options.MaxPayloadBytes.ToString(CultureInfo.InvariantCulture)));
        }

        if (!double.IsFinite(options.RateHz) || options.RateHz < 0)
        {
            failures.Add(Invalid(AgentSetting.MqttRateHz, options.RateHz.ToString("G", CultureInfo.InvariantCulture)));
        }

        if (options.MaxDevices is < 1 or > MqttOptions.MaxMaxDevices)
        {
            failures.Add(Invalid(
                AgentSetting.MqttMaxDevices, options.MaxDevices.ToString(CultureInfo.InvariantCulture)));
        }

        if (!string.IsNullOrWhiteSpace(options.CaFile) && !File.Exists(options.CaFile))
        {
            failures.Add(
                $"{AgentSetting.MqttCaFile.Describe(_configuration)} = '{options.CaFile}' was not found; use "
                + $"{AgentSetting.MqttCaFile.Allowed}.");
        }

        if (!string.IsNullOrWhiteSpace(options.CaFile) && !options.UseTls)
        {
            failures.Add(
                $"{AgentSetting.MqttCaFile.Describe(_configuration)} is set but "
                + $"{AgentSetting.MqttUseTls.Describe(_configuration)} is false; set it to true or leave the "
                + "authority file empty.");
        }

        if (string.IsNullOrEmpty(options.Username) && !string.IsNullOrEmpty(options.Password))
        {
            failures.Add(
                $"{AgentSetting.MqttPassword.Describe(_configuration)} is set without "
                + $"{AgentSetting.MqttUsername.Describe(_configuration)}; set a user name too, or remove the "
                + "password.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private string Invalid(AgentSetting setting, string value) =>
        $"{setting.Describe(_configuration)} = {value} is invalid; use {setting.Allowed}.";
}
