namespace SsdEdge.EdgeAgent.Pipeline;

/// <summary>What became of a completed window.</summary>
public enum WindowOutcome
{
    /// <summary>The window passed the quality gate and the model scored it.</summary>
    Scored,

    /// <summary>The quality gate rejected the raw window, so it was not scored.</summary>
    RejectedByQualityGate,

    /// <summary>The model returned NaN or infinity for the window; the output was discarded.</summary>
    NonFiniteOutput,
}
