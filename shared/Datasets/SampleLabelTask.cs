using SsdEdge.Signals;
using SsdEdge.Streaming;

namespace SsdEdge.Datasets;

/// <summary>
/// Windows labelled by a class label per sample, such as a label column of a CSV recording: every
/// recording is cut on a grid of windows, and a window takes the class that all of its samples
/// share.
/// </summary>
/// <remarks>
/// Window <c>k</c> of a recording covers <c>[k * hop, k * hop + window)</c> samples, the grid the
/// agent slides over a stream. A window whose samples disagree or include an unlabelled sample is
/// skipped and counted in <see cref="LabelledWindowSet.MixedLabelWindows"/>; a window whose samples
/// all carry <see cref="Excluded"/> is counted in <see cref="LabelledWindowSet.ExcludedItems"/>.
/// </remarks>
public sealed class SampleLabelTask : IWindowTask
{
    /// <summary>Label of a sample without a class.</summary>
    public const int Unlabelled = -1;

    /// <summary>Label of a sample whose class the task does not use.</summary>
    public const int Excluded = -2;

    private readonly IReadOnlyDictionary<string, int[]> _labels;

    /// <summary>Creates the task.</summary>
    /// <param name="classLabels">Class names, indexed by label; two or more.</param>
    /// <param name="labelsByRecording">Per recording id, the label of every sample: an index into
    /// <paramref name="classLabels"/>, <see cref="Unlabelled"/> or <see cref="Excluded"/>.</param>
    /// <param name="windowSeconds">Window length, in seconds.</param>
    /// <param name="hopSeconds">Seconds between window starts; null uses the window length.</param>
    public SampleLabelTask(
        IReadOnlyList<string> classLabels,
        IReadOnlyDictionary<string, int[]> labelsByRecording,
        double windowSeconds,
        double? hopSeconds = null)
    {
        ArgumentNullException.ThrowIfNull(classLabels);
        ArgumentNullException.ThrowIfNull(labelsByRecording);
        ArgumentOutOfRangeException.ThrowIfLessThan(classLabels.Count, 2);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(windowSeconds);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(hopSeconds ?? windowSeconds);
        ClassLabels = classLabels;
        _labels = labelsByRecording;
        WindowSeconds = windowSeconds;
        HopSeconds = hopSeconds ?? windowSeconds;
    }

    /// <inheritdoc />
    public string Name => "sample-label";

    /// <summary>Class names, indexed by label.</summary>
    public IReadOnlyList<string> ClassLabels { get; }

    /// <summary>Window length, in seconds.</summary>
    public double WindowSeconds { get; }

    /// <summary>Seconds between window starts.</summary>
    public double HopSeconds { get; }

    /// <inheritdoc />
    /// <exception cref="ArgumentException">A recording has no sample labels, or their count differs
    /// from its sample count.</exception>
    public LabelledWindowSet CreateWindows(IReadOnlyList<Recording> recordings)
    {
        ArgumentNullException.ThrowIfNull(recordings);
        var windows = new List<LabelledWindow>();
        var outOfRange = 0;
        var excluded = 0;
        var mixed = 0;
        foreach (var recording in recordings)
        {
            var labels = LabelsOf(recording);
            var length = WindowCut.SamplesOf(recording, WindowSeconds);
            var hop = Math.Max(1, WindowCut.SamplesOf(recording, HopSeconds));
            if (length > recording.Length)
            {
                outOfRange++;
                continue;
            }

            foreach (var start in StreamingWindower.WindowStarts(recording.Length, length, hop))
            {
                var label = CommonLabel(labels.AsSpan(checked((int)start), length));
                switch (label)
                {
                    case >= 0:
                        windows.Add(new LabelledWindow(recording, start, length, label));
                        break;
                    case Excluded:
                        excluded++;
                        break;
                    default:
                        mixed++;
                        break;
                }
            }
        }

        return new LabelledWindowSet(windows, ClassLabels, outOfRange, excluded, mixed);
    }

    /// <summary>Returns the label all samples share, or <see cref="Unlabelled"/> when they differ.</summary>
    private static int CommonLabel(ReadOnlySpan<int> labels)
    {
        var first = labels[0];
        return labels.ContainsAnyExcept(first) ? Unlabelled : first;
    }

    private int[] LabelsOf(Recording recording)
    {
        if (!_labels.TryGetValue(recording.Id, out var labels))
        {
            throw new ArgumentException(
                $"Recording '{recording.Id}' has no sample labels; the task labels only the recordings it was given labels for.",
                nameof(recording));
        }

        if (labels.Length != recording.Length)
        {
            throw new ArgumentException(
                $"Recording '{recording.Id}' has {recording.Length} samples but {labels.Length} sample labels.",
                nameof(recording));
        }

        return labels;
    }
}
