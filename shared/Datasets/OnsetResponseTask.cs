using SsdEdge.Signals;

namespace SsdEdge.Datasets;

/// <summary>
/// Response versus rest around stimulus onsets, the FMOV task: for each onset event, a window
/// starting at the onset (class <c>response</c>) and one of the same length ending
/// <see cref="RestGapSeconds"/> before the onset (class <c>rest</c>).
/// </summary>
/// <remarks>
/// Works for any recording with onset events, such as the photosensor drops of a CSV recording.
/// A window that falls partly outside its recording is skipped and counted.
/// </remarks>
public sealed class OnsetResponseTask : IWindowTask
{
    /// <summary>Class labels: 0 is rest before the onset, 1 the response after it.</summary>
    public static readonly IReadOnlyList<string> ClassLabels = ["rest", "response"];

    /// <summary>Creates the task.</summary>
    /// <param name="windowSeconds">Window length, in seconds.</param>
    /// <param name="restGapSeconds">Time between the end of the rest window and the onset, in seconds.</param>
    /// <param name="eventLabels">Event labels to use; null uses every event.</param>
    public OnsetResponseTask(
        double windowSeconds = 5.5,
        double restGapSeconds = 0.5,
        IReadOnlyCollection<string>? eventLabels = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(windowSeconds);
        ArgumentOutOfRangeException.ThrowIfNegative(restGapSeconds);
        WindowSeconds = windowSeconds;
        RestGapSeconds = restGapSeconds;
        EventLabels = eventLabels;
    }

    /// <inheritdoc />
    public string Name => "onset-response-vs-rest";

    /// <summary>Window length, in seconds.</summary>
    public double WindowSeconds { get; }

    /// <summary>Gap between the rest window's end and the onset, in seconds.</summary>
    public double RestGapSeconds { get; }

    /// <summary>Event labels used as onsets, or null for every event.</summary>
    public IReadOnlyCollection<string>? EventLabels { get; }

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
                if (EventLabels is not null && !EventLabels.Contains(onset.Label))
                {
                    excluded++;
                    continue;
                }

                var restStart = onset.SampleIndex - gap - length;
                outOfRange += Add(windows, recording, restStart, length, 0);
                outOfRange += Add(windows, recording, onset.SampleIndex, length, 1);
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
