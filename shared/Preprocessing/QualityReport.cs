namespace SsdEdge.Preprocessing;

/// <summary>Reasons the quality gate rejects a window; several may hold at once.</summary>
[Flags]
public enum QualityIssues
{
    /// <summary>The window passed every check.</summary>
    None = 0,

    /// <summary>More NaN or infinite samples than allowed.</summary>
    NonFinite = 1,

    /// <summary>A run of identical samples longer than allowed.</summary>
    FlatLine = 2,

    /// <summary>A run at the channel's extreme value longer than allowed.</summary>
    Clipping = 4,

    /// <summary>A channel's standard deviation below the floor.</summary>
    LowVariance = 8,
}

/// <summary>Outcome of the quality gate for one window.</summary>
/// <param name="Issues">Every failed check, or <see cref="QualityIssues.None"/>.</param>
/// <param name="WorstChannel">Index of the first channel that failed, or -1.</param>
/// <param name="NonFiniteCount">NaN and infinite samples over all channels.</param>
/// <param name="Score">Quality from 0 (unusable) to 1 (every check passed with margin).</param>
public readonly record struct QualityReport(QualityIssues Issues, int WorstChannel, int NonFiniteCount, double Score)
{
    /// <summary>Whether the window may be scored.</summary>
    public bool Accepted => Issues == QualityIssues.None;
}
