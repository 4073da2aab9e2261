namespace SsdEdge.EdgeAgent.Pipeline;

/// <summary>What one observation of a <see cref="RateMonitor"/> changed.</summary>
public enum RateChange
{
    /// <summary>The state stayed as it was.</summary>
    None,

    /// <summary>The measured rate left the tolerance: an episode of mismatch started.</summary>
    MismatchStarted,

    /// <summary>The measured rate came back within half the tolerance: the episode ended.</summary>
    MismatchEnded,
}
