using System.Globalization;
using SsdEdge.Signals;

namespace SsdEdge.Datasets;

/// <summary>
/// UCR classification: every series is one window with its own class. Class labels are the
/// distinct <see cref="Recording.Label"/>s, sorted numerically when all are numbers and ordinally
/// otherwise, and mapped to 0..K-1. The recordings keep their own train/test split.
/// </summary>
public sealed class UcrTask : IWindowTask
{
    /// <inheritdoc />
    public string Name => "ucr-series";

    /// <summary>Returns the sorted distinct class labels of <paramref name="recordings"/>.</summary>
    public static IReadOnlyList<string> ClassLabelsOf(IReadOnlyList<Recording> recordings)
    {
        ArgumentNullException.ThrowIfNull(recordings);
        var labels = recordings
            .Select(recording => recording.Label)
            .OfType<string>()
            .Distinct(StringComparer.Ordinal)
            .ToList();
        var numbers = labels.Select(ParseNumber).ToList();
        if (numbers.All(number => number is not null))
        {
            return labels.Zip(numbers).OrderBy(pair => pair.Second).Select(pair => pair.First).ToList();
        }

        return labels.Order(StringComparer.Ordinal).ToList();
    }

    /// <inheritdoc />
    public LabelledWindowSet CreateWindows(IReadOnlyList<Recording> recordings)
    {
        ArgumentNullException.ThrowIfNull(recordings);
        var classes = ClassLabelsOf(recordings);
        var labelIndex = classes.Select((label, index) => (label, index))
            .ToDictionary(pair => pair.label, pair => pair.index, StringComparer.Ordinal);
        var windows = new List<LabelledWindow>(recordings.Count);
        var excluded = 0;
        foreach (var recording in recordings)
        {
            if (recording.Label is null)
            {
                excluded++;
                continue;
            }

            windows.Add(new LabelledWindow(recording, 0, recording.Length, labelIndex[recording.Label]));
        }

        return new LabelledWindowSet(windows, classes, 0, excluded);
    }

    private static double? ParseNumber(string label) =>
        double.TryParse(label, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) ? value : null;
}
