using SsdEdge.Signals;

namespace SsdEdge.Datasets;

/// <summary>Window arithmetic the tasks share.</summary>
internal static class WindowCut
{
    /// <summary>Returns the number of samples in <paramref name="seconds"/> at the recording's rate.</summary>
    public static int SamplesOf(Recording recording, double seconds) =>
        (int)Math.Round(seconds * recording.SamplingRateHz);

    /// <summary>Whether [<paramref name="start"/>, start + length) lies inside the recording.</summary>
    public static bool Fits(Recording recording, long start, int length) =>
        start >= 0 && start + length <= recording.Length;
}
