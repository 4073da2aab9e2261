using Microsoft.Extensions.Configuration;

namespace SsdEdge.EdgeAgent.Alerts;

/// <summary>Settings of the per-device pain alert policy (configuration section <c>Alerts</c>).</summary>
/// <remarks>
/// A raise needs <see cref="RaiseCount"/> of the last <see cref="WindowCount"/> windows at or above
/// <see cref="Threshold"/>; a clear needs <see cref="ClearCount"/> eligible windows in a row below
/// <see cref="ClearThreshold"/>. <see cref="AlertPolicy"/> states the rules in full.
/// </remarks>
public sealed class AlertOptions
{
    /// <summary>Name of the configuration section.</summary>
    public const string SectionName = "Alerts";

    /// <summary>Largest <see cref="WindowCount"/>, so the history of a device stays small.</summary>
    public const int MaxWindowCount = 1000;

    /// <summary>Largest <see cref="CooldownSeconds"/>: one day.</summary>
    public const double MaxCooldownSeconds = 86_400;

    /// <summary>Whether windows are turned into alerts at all; default true.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>Pain probability at or above which a window counts toward a raise; default 0.7.</summary>
    public double Threshold { get; set; } = 0.7;

    /// <summary>Pain probability below which a window counts toward a clear; default 0.5. At most
    /// <see cref="Threshold"/>, which gives the hysteresis band.</summary>
    public double ClearThreshold { get; set; } = 0.5;

    /// <summary>Windows at or above <see cref="Threshold"/> among the last <see cref="WindowCount"/>
    /// that raise an alert (k of k-of-n); default 3.</summary>
    public int RaiseCount { get; set; } = 3;

    /// <summary>Windows in the raise history (n of k-of-n); default 5.</summary>
    public int WindowCount { get; set; } = 5;

    /// <summary>Eligible windows in a row below <see cref="ClearThreshold"/> that clear an alert;
    /// default 3.</summary>
    public int ClearCount { get; set; } = 3;

    /// <summary>Seconds of device time after a clear during which no new alert is raised; default 30.</summary>
    public double CooldownSeconds { get; set; } = 30;

    /// <summary>Lowest quality-gate score (0 to 1) at which a scored window is eligible; default 0.</summary>
    public double MinQuality { get; set; }

    /// <summary>Whether <see cref="ApplyDemoPolicy"/> set these options.</summary>
    public bool IsDemoPolicy { get; private set; }

    /// <summary>
    /// Sets the policy used when only simulated devices run and no <c>Alerts</c> key is given: the
    /// production policy with a raise at 2 instead of 3 of 5 windows at or above the threshold.
    /// </summary>
    /// <remarks>The bundled demo model answers a simulated stimulus with a pain probability that stays
    /// high for well under a second of window end, so at a hop of 1 s most stimuli show as one window
    /// or none, and the production policy practically never raises. The demo therefore also runs at a
    /// hop of 0.25 s (<see cref="DemoHopSeconds"/>) unless <c>Agent:HopSeconds</c> is set.</remarks>
    public static void ApplyDemoPolicy(AlertOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.RaiseCount = 2;
        options.IsDemoPolicy = true;
    }

    /// <summary>Hop, in seconds, of a run in which only simulated devices run and no hop is set.</summary>
    public const double DemoHopSeconds = 0.25;

    /// <summary>Messages for keys and values that could not be read; reported by the validator.</summary>
    internal List<string> BindingFailures { get; } = [];

    /// <summary>Reads the <c>Alerts</c> section into <paramref name="options"/>.</summary>
    public static void Bind(IConfiguration configuration, AlertOptions options)
    {
        var binder = new SettingsBinder(configuration.GetSection(SectionName), options.BindingFailures);
        binder.Bool(nameof(Enabled), value => options.Enabled = value);
        binder.Double(nameof(Threshold), AlertOptionsValidator.ThresholdAllowed, value => options.Threshold = value);
        binder.Double(
            nameof(ClearThreshold),
            AlertOptionsValidator.ClearThresholdAllowed,
            value => options.ClearThreshold = value);
        binder.Int(nameof(RaiseCount), AlertOptionsValidator.RaiseCountAllowed, value => options.RaiseCount = value);
        binder.Int(nameof(WindowCount), AlertOptionsValidator.WindowCountAllowed, value => options.WindowCount = value);
        binder.Int(nameof(ClearCount), AlertOptionsValidator.ClearCountAllowed, value => options.ClearCount = value);
        binder.Double(
            nameof(CooldownSeconds), AlertOptionsValidator.CooldownAllowed, value => options.CooldownSeconds = value);
        binder.Double(nameof(MinQuality), AlertOptionsValidator.MinQualityAllowed, value => options.MinQuality = value);
        binder.ReportUnknownKeys();
    }
}
