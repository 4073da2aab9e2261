using System.Globalization;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace SsdEdge.EdgeAgent.Sources.Simulator;

/// <summary>Checks <see cref="SimulatorOptions"/> at start; each message names the setting, where
/// its value came from, the value and what is allowed.</summary>
public sealed class SimulatorOptionsValidator : IValidateOptions<SimulatorOptions>
{
    private readonly IConfiguration? _configuration;

    /// <summary>Creates a validator whose messages name the source in
    /// <paramref name="configuration"/> that set each value, or the switch when it is null.</summary>
    public SimulatorOptionsValidator(IConfiguration? configuration = null)
    {
        _configuration = configuration;
    }

    /// <inheritdoc />
    public ValidateOptionsResult Validate(string? name, SimulatorOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        if (options.Devices is < 0 or > SimulatorOptions.MaxDevices)
        {
            failures.Add(Invalid(
                AgentSetting.SimulatorDevices, options.Devices.Value.ToString(CultureInfo.InvariantCulture)));
        }

        if (!double.IsFinite(options.Speed) || options.Speed is < SimulatorOptions.MinSpeed or > SimulatorOptions.MaxSpeed)
        {
            failures.Add(Invalid(AgentSetting.SimulatorSpeed, options.Speed.ToString("G", CultureInfo.InvariantCulture)));
        }

        if (!double.IsFinite(options.RateHz) || options.RateHz < 0)
        {
            failures.Add(Invalid(
                AgentSetting.SimulatorRateHz, options.RateHz.ToString("G", CultureInfo.InvariantCulture)));
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private string Invalid(AgentSetting setting, string value) =>
        $"{setting.Describe(_configuration)} = {value} is invalid; use {setting.Allowed}.";
}
