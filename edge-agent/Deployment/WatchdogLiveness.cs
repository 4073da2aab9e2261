namespace SsdEdge.EdgeAgent.Deployment;

/// <summary>
/// Decides from the ingest counters whether the agent's processing loop counts as live, so that
/// the systemd watchdog is fed only while it is.
/// </summary>
/// <remarks>
/// <para>
/// The loop makes progress when it takes a block from the source, which the agent records in
/// <see cref="Sources.IngestCounters"/> as samples received. A loop that takes no block is
/// idle, not stuck, while no input waits for it: a live source whose sensors send nothing is
/// normal. Input waits for the loop when a live source has rejected samples for a full buffer
/// since the loop's last block. A source that always has its next block ready (a replay) has
/// input waiting from the first block on.
/// </para>
/// <para>
/// The loop counts as stuck once input has waited for <see cref="StallLimit"/> without any
/// progress. After the run has ended the agent counts as live, because the host is stopping and
/// systemd's stop timeout applies instead. Not thread-safe: one caller observes at a time.
/// </para>
/// </remarks>
public sealed class WatchdogLiveness
{
    private bool _observed;
    private long _samplesReceived;
    private long _bufferFullAtProgress;
    private TimeSpan? _waitingSince;

    /// <summary>Creates the rule with its stall limit.</summary>
    /// <param name="stallLimit">Time that input may wait without the loop taking a block.</param>
    /// <param name="sourceAlwaysReady">True for a source that always has its next block ready
    /// once its pacing delay has passed, such as a replay; <paramref name="stallLimit"/> must then
    /// include that delay.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="stallLimit"/> is not
    /// positive.</exception>
    public WatchdogLiveness(TimeSpan stallLimit, bool sourceAlwaysReady)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(stallLimit, TimeSpan.Zero);
        StallLimit = stallLimit;
        SourceAlwaysReady = sourceAlwaysReady;
    }

    /// <summary>Time that input may wait without the loop taking a block.</summary>
    public TimeSpan StallLimit { get; }

    /// <summary>Whether the source always has its next block ready, as a replay does.</summary>
    public bool SourceAlwaysReady { get; }

    /// <summary>Time that input has waited without progress at the latest observation, or zero
    /// when none waits.</summary>
    public TimeSpan WaitingFor { get; private set; }

    /// <summary>Records one reading of the counters and returns whether the agent is live.</summary>
    /// <param name="now">Monotonic time of the reading; readings come in time order.</param>
    /// <param name="samplesReceived">Samples per channel the loop has taken so far, summed over
    /// devices.</param>
    /// <param name="bufferFullRejections">Samples the sources rejected for a full buffer so far,
    /// summed over devices.</param>
    /// <param name="runEnded">Whether the agent's run has ended.</param>
    public bool Observe(TimeSpan now, long samplesReceived, long bufferFullRejections, bool runEnded)
    {
        if (!_observed || samplesReceived != _samplesReceived)
        {
            _observed = true;
            _samplesReceived = samplesReceived;
            _bufferFullAtProgress = bufferFullRejections;
            _waitingSince = SourceAlwaysReady && samplesReceived > 0 ? now : null;
        }
        else if (_waitingSince is null && bufferFullRejections > _bufferFullAtProgress)
        {
            _waitingSince = now;
        }

        WaitingFor = _waitingSince is { } since ? now - since : TimeSpan.Zero;
        return runEnded || WaitingFor < StallLimit;
    }
}
