using System.Globalization;
using System.Net.Sockets;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Hosting.Systemd;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using SsdEdge.EdgeAgent.Sources;

namespace SsdEdge.EdgeAgent.Deployment;

/// <summary>
/// Feeds systemd's service watchdog: sends <c>WATCHDOG=1</c> at half the interval that systemd
/// sets in <c>WATCHDOG_USEC</c> (the unit's <c>WatchdogSec=</c>) while the agent is live.
/// </summary>
/// <remarks>
/// <para>
/// Liveness is decided by <see cref="WatchdogLiveness"/> from <see cref="IngestCounters"/>: the
/// pings stop when input has waited for the processing loop for one watchdog interval (plus the
/// replay's pacing delay between blocks) while the loop took no block. systemd then stops the
/// agent once the interval has passed without a ping, and <c>Restart=</c> starts it again. The
/// pings also stop when the process cannot run the timer at all, such as a starved thread pool.
/// </para>
/// <para>
/// The service does nothing when the agent does not run under systemd (no
/// <see cref="ISystemdNotifier"/> is registered, or it has no notify socket), when
/// <c>WATCHDOG_USEC</c> is absent or invalid, or when <c>WATCHDOG_PID</c> names another process.
/// </para>
/// </remarks>
public sealed class SystemdWatchdogService : BackgroundService
{
    /// <summary>Environment variable with the watchdog interval in microseconds.</summary>
    public const string IntervalVariable = "WATCHDOG_USEC";

    /// <summary>Environment variable with the process id that the watchdog interval is for.</summary>
    public const string ProcessIdVariable = "WATCHDOG_PID";

    private static readonly ServiceState KeepAlive = new("WATCHDOG=1");

    private readonly ISystemdNotifier? _notifier;
    private readonly WatchdogSetting _setting;
    private readonly IngestCounters _counters;
    private readonly AgentCompletion _completion;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger _logger;

    /// <summary>Creates the service with the interval that systemd set in the environment.</summary>
    /// <param name="counters">Counters of the agent's processing loop.</param>
    /// <param name="completion">Signals the end of the agent's run.</param>
    /// <param name="sources">Sample sources; a replay among them is always ready.</param>
    /// <param name="options">Agent settings, for the replay's pacing delay.</param>
    /// <param name="timeProvider">Clock of the ping timer.</param>
    /// <param name="logger">Receives start, pause and resume entries.</param>
    /// <param name="notifier">systemd notifier, registered only when the agent runs under
    /// systemd.</param>
    public SystemdWatchdogService(
        IngestCounters counters,
        AgentCompletion completion,
        IEnumerable<ISampleSource> sources,
        IOptions<AgentOptions> options,
        TimeProvider timeProvider,
        ILogger<SystemdWatchdogService> logger,
        ISystemdNotifier? notifier = null)
        : this(
            notifier,
            ReadInterval(
                Environment.GetEnvironmentVariable(IntervalVariable),
                Environment.GetEnvironmentVariable(ProcessIdVariable),
                Environment.ProcessId),
            ReplayBlockDelay(sources, options),
            counters,
            completion,
            timeProvider,
            logger)
    {
    }

    /// <summary>Creates the service with an explicit watchdog setting.</summary>
    /// <param name="notifier">systemd notifier, or null when the agent does not run under
    /// systemd.</param>
    /// <param name="setting">Watchdog interval, or why there is none.</param>
    /// <param name="blockDelay">Longest time a source takes between blocks while it has input,
    /// added to the stall limit; null for a live source, whose input is waiting only when its
    /// buffer overflows.</param>
    /// <param name="counters">Counters of the agent's processing loop.</param>
    /// <param name="completion">Signals the end of the agent's run.</param>
    /// <param name="timeProvider">Clock of the ping timer.</param>
    /// <param name="logger">Receives start, pause and resume entries.</param>
    public SystemdWatchdogService(
        ISystemdNotifier? notifier,
        WatchdogSetting setting,
        TimeSpan? blockDelay,
        IngestCounters counters,
        AgentCompletion completion,
        TimeProvider timeProvider,
        ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(setting);
        ArgumentNullException.ThrowIfNull(counters);
        ArgumentNullException.ThrowIfNull(completion);
        ArgumentNullException.ThrowIfNull(timeProvider);
        ArgumentNullException.ThrowIfNull(logger);
        _notifier = notifier;
        _setting = setting;
        _counters = counters;
        _completion = completion;
        _timeProvider = timeProvider;
        _logger = logger;
        if (setting.Interval is { } interval)
        {
            Liveness = new WatchdogLiveness(interval + (blockDelay ?? TimeSpan.Zero), blockDelay is not null);
        }
    }

    /// <summary>Liveness rule, or null when the watchdog is off.</summary>
    public WatchdogLiveness? Liveness { get; }

    /// <summary>
    /// Reads the watchdog interval as systemd's <c>sd_watchdog_enabled</c> does: a positive
    /// number of microseconds in <paramref name="intervalMicroseconds"/>, for this process when
    /// <paramref name="processId"/> is set.
    /// </summary>
    /// <param name="intervalMicroseconds">Value of <c>WATCHDOG_USEC</c>.</param>
    /// <param name="processId">Value of <c>WATCHDOG_PID</c>.</param>
    /// <param name="currentProcessId">Id of this process.</param>
    public static WatchdogSetting ReadInterval(string? intervalMicroseconds, string? processId, int currentProcessId)
    {
        if (string.IsNullOrEmpty(intervalMicroseconds))
        {
            return WatchdogSetting.Off($"{IntervalVariable} is not set");
        }

        if (!long.TryParse(intervalMicroseconds, NumberStyles.None, CultureInfo.InvariantCulture, out var micro)
            || micro <= 0)
        {
            return WatchdogSetting.Invalid(
                $"{IntervalVariable} = '{intervalMicroseconds}' is not a positive number of microseconds");
        }

        if (!string.IsNullOrEmpty(processId)
            && processId != currentProcessId.ToString(CultureInfo.InvariantCulture))
        {
            return WatchdogSetting.Off(
                $"{ProcessIdVariable} = {processId} names another process than this one ({currentProcessId})");
        }

        // TimeSpan has 100 ns ticks; an interval beyond its range is as good as no watchdog.
        var interval = micro > TimeSpan.MaxValue.Ticks / TimeSpan.TicksPerMicrosecond
            ? TimeSpan.MaxValue / 4
            : TimeSpan.FromMicroseconds(micro);
        return WatchdogSetting.On(interval);
    }

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (_notifier is null || !_notifier.IsEnabled)
        {
            WatchdogLog.WatchdogOff(_logger, "the agent does not run as a systemd service with a notify socket");
            return;
        }

        if (_setting.Interval is not { } interval || Liveness is null)
        {
            if (_setting.IsInvalid)
            {
                WatchdogLog.WatchdogSettingInvalid(_logger, _setting.Reason);
            }
            else
            {
                WatchdogLog.WatchdogOff(_logger, _setting.Reason);
            }

            return;
        }

        var period = interval / 2;
        WatchdogLog.WatchdogStarted(_logger, interval.TotalSeconds, period.TotalSeconds, Liveness.StallLimit.TotalSeconds);
        var paused = false;
        var pingFailed = false;
        var start = _timeProvider.GetTimestamp();
        using var timer = new PeriodicTimer(period, _timeProvider);
        try
        {
            do
            {
                var live = Liveness.Observe(
                    _timeProvider.GetElapsedTime(start),
                    SamplesReceived(),
                    _counters.Rejected(IngestRejection.BufferFull),
                    _completion.Outcome.IsCompleted);
                if (!live)
                {
                    if (!paused)
                    {
                        paused = true;
                        WatchdogLog.WatchdogPaused(_logger, Liveness.WaitingFor.TotalSeconds, SamplesReceived());
                    }

                    continue;
                }

                if (paused)
                {
                    paused = false;
                    WatchdogLog.WatchdogResumed(_logger, SamplesReceived());
                }

                pingFailed = Ping(pingFailed);
            }
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // The host is stopping; systemd's stop timeout takes over from the watchdog.
        }
    }

    // Returns whether this ping failed; a failure is logged once until a ping succeeds again.
    private bool Ping(bool previousFailed)
    {
        try
        {
            _notifier!.Notify(KeepAlive);
            return false;
        }
        catch (SocketException ex)
        {
            if (!previousFailed)
            {
                WatchdogLog.WatchdogPingFailed(_logger, ex.Message, ex);
            }

            return true;
        }
    }

    private long SamplesReceived()
    {
        long total = 0;
        foreach (var device in _counters.Devices())
        {
            total += _counters.Received(device);
        }

        return total;
    }

    // A replay has its next block ready once its pacing delay (block duration over speed) has
    // passed; at speed 0 there is no delay. Live sources return null.
    private static TimeSpan? ReplayBlockDelay(IEnumerable<ISampleSource> sources, IOptions<AgentOptions> options)
    {
        ArgumentNullException.ThrowIfNull(sources);
        ArgumentNullException.ThrowIfNull(options);
        if (!sources.Any(source => source is ReplaySource))
        {
            return null;
        }

        var agent = options.Value;
        return agent.Speed > 0 ? TimeSpan.FromSeconds(agent.BlockSeconds / agent.Speed) : TimeSpan.Zero;
    }
}
