using System.Globalization;
using Microsoft.Extensions.Options;

namespace SsdEdge.EdgeAgent.Alerts;

/// <summary>Checks <see cref="AlertOptions"/> at start; each message names the setting, the value
/// found and what is allowed.</summary>
public sealed class AlertOptionsValidator : IValidateOptions<AlertOptions>
{
    internal const string ThresholdAllowed = "a number above 0 and at most 1";
    internal const string ClearThresholdAllowed = "a number from 0 to Alerts:Threshold";
    internal const string RaiseCountAllowed = "a whole number from 1 to Alerts:WindowCount";
    internal const string WindowCountAllowed = "a whole number from 1 to 1000";
    internal const string ClearCountAllowed = "a whole number from 1 to 1000";
    internal const string CooldownAllowed = "seconds from 0 to 86400";
    internal const string MinQualityAllowed = "a number from 0 to 1";

    /// <inheritdoc />
    public ValidateOptionsResult Validate(string? name, AlertOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>(options.BindingFailures);
        if (!double.IsFinite(options.Threshold) || options.Threshold is <= 0 or > 1)
        {
            failures.Add(Invalid(nameof(options.Threshold), Format(options.Threshold), ThresholdAllowed));
        }

        if (!double.IsFinite(options.ClearThreshold) || options.ClearThreshold < 0
            || options.ClearThreshold > options.Threshold)
        {
            failures.Add(Invalid(
                nameof(options.ClearThreshold),
                Format(options.ClearThreshold),
                $"{ClearThresholdAllowed} ({Format(options.Threshold)})"));
        }

        if (options.WindowCount is < 1 or > AlertOptions.MaxWindowCount)
        {
            failures.Add(Invalid(nameof(options.WindowCount), Format(options.WindowCount), WindowCountAllowed));
        }

        if (options.RaiseCount < 1 || options.RaiseCount > options.WindowCount)
        {
            failures.Add(Invalid(
                nameof(options.RaiseCount),
                Format(options.RaiseCount),
                $"{RaiseCountAllowed} ({Format(options.WindowCount)})"));
        }

        if (options.ClearCount is < 1 or > AlertOptions.MaxWindowCount)
        {
            failures.Add(Invalid(nameof(options.ClearCount), Format(options.ClearCount), ClearCountAllowed));
        }

        if (!double.IsFinite(options.CooldownSeconds)
            || options.CooldownSeconds is < 0 or > AlertOptions.MaxCooldownSeconds)
        {
            failures.Add(Invalid(nameof(options.CooldownSeconds), Format(options.CooldownSeconds), CooldownAllowed));
        }

        if (!double.IsFinite(options.MinQuality) || options.MinQuality is < 0 or > 1)
        {
            failures.Add(Invalid(nameof(options.MinQuality), Format(options.MinQuality), MinQualityAllowed));
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    internal static string Invalid(string setting, string value, string allowed) =>
        $"{AlertOptions.SectionName}:{setting} = {value} is invalid; use {allowed}.";

    internal static string Format(double value) => value.ToString("R", CultureInfo.InvariantCulture);

    internal static string Format(int value) => value.ToString(CultureInfo.InvariantCulture);
}
