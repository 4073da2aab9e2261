namespace SsdEdge.EdgeAgent.Alerts;

/// <summary>The alert state of one device.</summary>
public enum AlertState
{
    /// <summary>No alert is raised.</summary>
    Clear,

    /// <summary>An alert is raised and not yet cleared.</summary>
    Raised,
}

/// <summary>What one window did to a device's alert state.</summary>
public enum AlertTransition
{
    /// <summary>The state did not change.</summary>
    None,

    /// <summary>An alert was raised.</summary>
    Raise,

    /// <summary>The raised alert was cleared.</summary>
    Clear,
}

/// <summary>
/// Hysteresis, cooldown and quality rules that turn one device's windows into raise and clear
/// transitions.
/// </summary>
/// <remarks>
/// <para>A window is <em>eligible</em> when the model scored it, its pain probability is finite, and
/// its quality-gate score is at least <see cref="AlertOptions.MinQuality"/>. Windows the quality gate
/// rejected, windows with a non-finite output and windows below the minimum quality are ineligible.</para>
/// <para>Raise: while clear, every window (eligible or not) enters a history of the last
/// <see cref="AlertOptions.WindowCount"/> windows as a hit when it is eligible with probability at
/// or above <see cref="AlertOptions.Threshold"/>, and as a miss otherwise. An ineligible window
/// therefore takes a place in the history and can never help to raise. The alert is raised at the
/// first window after which the history holds at least <see cref="AlertOptions.RaiseCount"/> hits,
/// unless the cooldown is running.</para>
/// <para>Clear: while raised, each eligible window below <see cref="AlertOptions.ClearThreshold"/>
/// adds one to a run, and each eligible window at or above it resets the run to 0. Ineligible windows
/// leave the run as it is, so lost signal never clears an alert. The alert clears when the run reaches
/// <see cref="AlertOptions.ClearCount"/>; the history is then emptied.</para>
/// <para>Cooldown: for <see cref="AlertOptions.CooldownSeconds"/> of device time (window ends) after a
/// clear no alert is raised. Windows in the cooldown still enter the history, so pain that lasts
/// through it raises at the first window after it. A window end earlier than the clear (the device
/// restarted its clock) ends the cooldown.</para>
/// <para>Not thread-safe: one device's windows arrive from one pipeline thread.</para>
/// </remarks>
public sealed class AlertPolicy
{
    private readonly AlertOptions _options;
    private readonly bool[] _history;
    private int _historyCount;
    private int _historyNext;
    private int _hits;
    private int _clearRun;
    private double? _clearedAtSeconds;

    /// <summary>Creates the policy of one device, starting clear with an empty history.</summary>
    public AlertPolicy(AlertOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options;
        _history = new bool[options.WindowCount];
    }

    /// <summary>Current state.</summary>
    public AlertState State { get; private set; } = AlertState.Clear;

    /// <summary>Hits in the raise history.</summary>
    public int Hits => _hits;

    /// <summary>Eligible windows in a row below the clear threshold since the raise.</summary>
    public int ClearRun => _clearRun;

    /// <summary>Feeds one window and returns the transition it caused.</summary>
    /// <param name="probability">Pain probability, or null when the window was not scored.</param>
    /// <param name="quality">Quality-gate score from 0 to 1.</param>
    /// <param name="endSeconds">Window end in device time, in seconds.</param>
    public AlertTransition Evaluate(double? probability, double quality, double endSeconds)
    {
        var eligible = probability is { } p && double.IsFinite(p) && quality >= _options.MinQuality;
        return State == AlertState.Clear
            ? EvaluateWhileClear(eligible && probability >= _options.Threshold, endSeconds)
            : EvaluateWhileRaised(eligible, probability ?? double.NaN, endSeconds);
    }

    private AlertTransition EvaluateWhileClear(bool hit, double endSeconds)
    {
        if (_historyCount == _history.Length && _history[_historyNext])
        {
            _hits--;
        }

        _history[_historyNext] = hit;
        _historyNext = (_historyNext + 1) % _history.Length;
        _historyCount = Math.Min(_historyCount + 1, _history.Length);
        if (hit)
        {
            _hits++;
        }

        if (_hits < _options.RaiseCount || InCooldown(endSeconds))
        {
            return AlertTransition.None;
        }

        State = AlertState.Raised;
        _clearRun = 0;
        _clearedAtSeconds = null;
        return AlertTransition.Raise;
    }

    private AlertTransition EvaluateWhileRaised(bool eligible, double probability, double endSeconds)
    {
        if (!eligible)
        {
            return AlertTransition.None;
        }

        _clearRun = probability < _options.ClearThreshold ? _clearRun + 1 : 0;
        if (_clearRun < _options.ClearCount)
        {
            return AlertTransition.None;
        }

        State = AlertState.Clear;
        _clearRun = 0;
        Array.Clear(_history);
        _historyCount = 0;
        _historyNext = 0;
        _hits = 0;
        _clearedAtSeconds = endSeconds;
        return AlertTransition.Clear;
    }

    private bool InCooldown(double endSeconds) =>
        _clearedAtSeconds is { } cleared
        && endSeconds >= cleared
        && endSeconds - cleared < _options.CooldownSeconds;
}
