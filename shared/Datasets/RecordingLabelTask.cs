using SsdEdge.Signals;
using SsdEdge.Streaming;

namespace SsdEdge.Datasets;

/// <summary>
/// Windows labelled by the class of their whole recording (<see cref="Recording.Label"/>), such as
/// a class taken from a CSV file's name: every recording is cut on a grid of windows that all take
/// its class.
/// </summary>
/// <remarks>
/// Window <c>k</c> of a recording covers <c>[k * hop, k * hop + window)</c> samples. A recording
/// whose class is not one of <see cref="ClassLabels"/> is left out and counted in
/// <see cref="LabelledWindowSet.ExcludedItems"/>; one shorter than a window is counted in
/// <see cref="LabelledWindowSet.OutOfRangeWindows"/>.
/// </remarks>
public sealed class RecordingLabelTask : IWindowTask
{
    /// <summary>Creates the task.</summary>
    /// <param name="classLabels">Class names, indexed by label; two or more.</param>
    /// <param name="windowSeconds">Window length, in seconds.</param>
    /// <param name="hopSeconds">Seconds between window starts; null uses the window length.</param>
    public RecordingLabelTask(IReadOnlyList<string> classLabels, double windowSeconds, double? hopSeconds = null)
    {
        ArgumentNullException.ThrowIfNull(classLabels);
        ArgumentOutOfRangeException.ThrowIfLessThan(classLabels.Count, 2);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(windowSeconds);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(hopSeconds ?? windowSeconds);
        ClassLabels = classLabels;
        WindowSeconds = windowSeconds;
        HopSeconds = hopSeconds ?? windowSeconds;
    }

    /// <inheritdoc />
    public string Name => "recording-label";

    /// <summary>Class names, indexed by label.</summary>
    public IReadOnlyList<string> ClassLabels { get; }

    /// <summary>Window length, in seconds.</summary>
    public double WindowSeconds { get; }

    /// <summary>Seconds between window starts.</summary>
    public double HopSeconds { get; }

    /// <inheritdoc />
    public LabelledWindowSet CreateWindows(IReadOnlyList<Recording> recordings)
    {
        ArgumentNullException.ThrowIfNull(recordings);
        var windows = new List<LabelledWindow>();
        var outOfRange = 0;
        var excluded = 0;
        foreach (var recording in recordings)
        {
            var label = recording.Label is null ? -1 : IndexOf(recording.Label);
            if (label < 0)
            {
                excluded++;
                continue;
            }

            var length = WindowCut.SamplesOf(recording, WindowSeconds);
            var hop = Math.Max(1, WindowCut.SamplesOf(recording, HopSeconds));
            if (length > recording.Length)
            {
                outOfRange++;
                continue;
            }

            foreach (var start in StreamingWindower.WindowStarts(recording.Length, length, hop))
            {
                windows.Add(new LabelledWindow(recording, start, length, label));
            }
        }

        return new LabelledWindowSet(windows, ClassLabels, outOfRange, excluded);
    }

    private int IndexOf(string label)
    {
        for (var i = 0; i < ClassLabels.Count; i++)
        {
            if (string.Equals(ClassLabels[i], label, StringComparison.Ordinal))
            {
                return i;
            }
        }

        return -1;
    }
}
