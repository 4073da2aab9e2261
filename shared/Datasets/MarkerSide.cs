namespace SsdEdge.Datasets;

/// <summary>Tracks which side of a threshold a stimulus marker is on, for onset detection.</summary>
internal static class MarkerSide
{
    /// <summary>
    /// Returns true above the threshold and false below it. A value exactly at the threshold keeps
    /// <paramref name="previous"/>, so a fall through it (5, 2.5, 0) gives one onset, at the 0.
    /// </summary>
    public static bool? Next(double value, double threshold, bool? previous)
    {
        if (value > threshold)
        {
            return true;
        }

        if (value < threshold)
        {
            return false;
        }

        return previous;
    }
}
