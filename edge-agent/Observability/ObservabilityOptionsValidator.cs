using System.Globalization;
using Microsoft.Extensions.Options;

namespace SsdEdge.EdgeAgent.Observability;

/// <summary>Checks <see cref="MetricsOptions"/> and <see cref="HealthOptions"/> at start.</summary>
public sealed class ObservabilityOptionsValidator : IValidateOptions<MetricsOptions>, IValidateOptions<HealthOptions>
{
    internal const string PortAllowed = "a TCP port from 1 to 65535, or 0 to disable the endpoint";
    internal const string SilentAllowed = "seconds from 0.1 to 86400";

    /// <inheritdoc />
    public ValidateOptionsResult Validate(string? name, MetricsOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>(options.BindingFailures);
        if (options.Port is < 0 or > 65535)
        {
            failures.Add(
                $"{MetricsOptions.SectionName}:Port = {options.Port.ToString(CultureInfo.InvariantCulture)} "
                + $"is invalid; use {PortAllowed}.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    /// <inheritdoc />
    public ValidateOptionsResult Validate(string? name, HealthOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>(options.BindingFailures);
        if (!double.IsFinite(options.SilentSourceSeconds) || options.SilentSourceSeconds is < 0.1 or > 86_400)
        {
            failures.Add(
                $"{HealthOptions.SectionName}:SilentSourceSeconds = "
                + $"{options.SilentSourceSeconds.ToString("R", CultureInfo.InvariantCulture)} is invalid; "
                + $"use {SilentAllowed}.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
