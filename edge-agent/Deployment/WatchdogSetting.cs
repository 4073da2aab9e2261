namespace SsdEdge.EdgeAgent.Deployment;

/// <summary>The systemd watchdog interval read from the environment, or why there is none.</summary>
/// <param name="Interval">Time within which systemd expects a ping, or null when the watchdog
/// is off.</param>
/// <param name="Reason">Why the watchdog is off; empty when it is on.</param>
/// <param name="IsInvalid">Whether the watchdog is off because a variable has an invalid
/// value.</param>
public sealed record WatchdogSetting(TimeSpan? Interval, string Reason, bool IsInvalid)
{
    /// <summary>A watchdog that expects a ping within <paramref name="interval"/>.</summary>
    public static WatchdogSetting On(TimeSpan interval) => new(interval, "", false);

    /// <summary>No watchdog, for <paramref name="reason"/>.</summary>
    public static WatchdogSetting Off(string reason) => new(null, reason, false);

    /// <summary>No watchdog, because a variable has an invalid value.</summary>
    public static WatchdogSetting Invalid(string reason) => new(null, reason, true);
}
