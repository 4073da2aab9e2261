using SsdEdge.Signals;
using SsdEdge.Synthetic;

namespace SsdEdge.Datasets;

/// <summary>
/// Windows at the stimulus onsets of synthetic recordings, labelled by intensity. Intensity-0
/// stimuli are the baseline windows; with <see cref="IncludeRestWindows"/> a window ending 0.5 s
/// before each onset is added as a further baseline window (label 0).
/// </summary>
/// <remarks>A window that falls partly outside its recording is skipped and counted.</remarks>
public sealed class SyntheticStimulusTask : IWindowTask
{
    private const double RestGapSeconds = 0.5;

    /// <summary>Creates the task.</summary>
    public SyntheticStimulusTask(
        SyntheticLabelling labelling = SyntheticLabelling.Binary,
        double windowSeconds = 5.5,
        bool includeRestWindows = false)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(windowSeconds);
        Labelling = labelling;
        WindowSeconds = windowSeconds;
        IncludeRestWindows = includeRestWindows;
        ClassLabels = labelling == SyntheticLabelling.Binary
            ? ["no_pain", "pain"]
            : PhysiologySimulator.IntensityLabels;
    }

    /// <inheritdoc />
    public string Name => Labelling == SyntheticLabelling.Binary ? "synthetic-pain-binary" : "synthetic-pain-graded";

    /// <summary>How intensities map to classes.</summary>
    public SyntheticLabelling Labelling { get; }

    /// <summary>Window length, in seconds.</summary>
    public double WindowSeconds { get; }

    /// <summary>Whether a rest window before each onset is added with label 0.</summary>
    public bool IncludeRestWindows { get; }

    /// <summary>Class names, indexed by label.</summary>
    public IReadOnlyList<string> ClassLabels { get; }

    /// <summary>Returns the label of a stimulus intensity, or -1 when the task leaves it out.</summary>
    public int LabelOf(double intensity)
    {
        var level = (int)Math.Round(intensity);
        if (level < 0 || level > PhysiologySimulator.MaxIntensity)
        {
            return -1;
        }

        if (Labelling == SyntheticLabelling.Graded)
        {
            return level;
        }

        return level switch
        {
            <= 1 => 0,
            >= 3 => 1,
            _ => -1,
        };
    }

    /// <inheritdoc />
    public LabelledWindowSet CreateWindows(IReadOnlyList<Recording> recordings)
    {
        ArgumentNullException.ThrowIfNull(recordings);
        var windows = new List<LabelledWindow>();
        var outOfRange = 0;
        var excluded = 0;
        foreach (var recording in recordings)
        {
            var length = WindowCut.SamplesOf(recording, WindowSeconds);
            var gap = WindowCut.SamplesOf(recording, RestGapSeconds);
            foreach (var onset in recording.Events)
            {
                if (IncludeRestWindows)
                {
                    outOfRange += Add(windows, recording, onset.SampleIndex - gap - length, length, 0);
                }

                var label = LabelOf(onset.Intensity);
                if (label < 0)
                {
                    excluded++;
                    continue;
                }

                outOfRange += Add(windows, recording, onset.SampleIndex, length, label);
            }
        }

        return new LabelledWindowSet(windows, ClassLabels, outOfRange, excluded);
    }

    private static int Add(List<LabelledWindow> windows, Recording recording, long start, int length, int label)
    {
        if (!WindowCut.Fits(recording, start, length))
        {
            return 1;
        }

        windows.Add(new LabelledWindow(recording, start, length, label));
        return 0;
    }
}
