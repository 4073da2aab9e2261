namespace SsdEdge.Datasets;

/// <summary>A built dataset with the windows the quality gate rejected.</summary>
/// <param name="Dataset">Accepted windows.</param>
/// <param name="Rejected">Origin and label of every rejected window, in input order.</param>
public sealed record WindowDatasetBuildResult(WindowDataset Dataset, IReadOnlyList<RejectedWindow> Rejected)
{
    /// <summary>Number of rejected windows.</summary>
    public int RejectedCount => Rejected.Count;
}

/// <summary>A window the quality gate rejected, or whose model input was not finite.</summary>
/// <param name="Origin">Where the window was cut from.</param>
/// <param name="Label">Class index the window would have had.</param>
public readonly record struct RejectedWindow(WindowOrigin Origin, int Label);
