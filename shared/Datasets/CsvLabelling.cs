namespace SsdEdge.Datasets;

/// <summary>Chooses the labelling task of a <c>csv:</c> source from its <c>labels=</c> parameter.</summary>
internal static class CsvLabelling
{
    /// <summary>
    /// Returns the task for <paramref name="read"/>, or null when the source has no labels: no
    /// <c>labels=</c> parameter and no marker onsets.
    /// </summary>
    /// <exception cref="ArgumentException">The labels give fewer than two classes, a class of
    /// <c>classes=</c> never occurs, or <c>labels=onsets</c> finds no onset.</exception>
    public static IWindowTask? CreateTask(CsvReadResult read, CsvSourceOptions csv, double windowSeconds)
    {
        var hasOnsets = read.Recordings.Any(recording => recording.Events.Count > 0);
        switch (csv.Labels)
        {
            case CsvLabelSource.Automatic:
                return hasOnsets ? new OnsetResponseTask(windowSeconds) : null;

            case CsvLabelSource.Onsets when !hasOnsets:
                throw new ArgumentException(
                    "labels=onsets, but no file has a marker column with an onset; name the marker column "
                    + "like marker, trigger, stim or photosensor, or use labels=column:NAME or labels=file:REGEX.");

            case CsvLabelSource.Onsets:
                return new OnsetResponseTask(windowSeconds);

            case CsvLabelSource.Column:
                return ColumnTask(read, csv, windowSeconds);

            case CsvLabelSource.FileName:
                return FileTask(read, csv, windowSeconds);

            default:
                throw new ArgumentOutOfRangeException(nameof(csv), csv.Labels, "Unknown CSV label source.");
        }
    }

    private static SampleLabelTask ColumnTask(CsvReadResult read, CsvSourceOptions csv, double windowSeconds)
    {
        var used = new bool[read.LabelValues.Count];
        foreach (var codes in read.SampleLabels.Values)
        {
            foreach (var code in codes)
            {
                if (code >= 0)
                {
                    used[code] = true;
                }
            }
        }

        var found = read.LabelValues.Where((_, code) => used[code]).ToArray();
        var option = $"labels=column:{csv.Layout.LabelColumn}";
        var classes = ChooseClasses(option, found, csv.Classes);

        // Codes become class indices; texts that are not classes become Excluded.
        var classOfCode = read.LabelValues
            .Select(value => IndexOf(classes, value) is var index and >= 0 ? index : SampleLabelTask.Excluded)
            .ToArray();
        var labels = new Dictionary<string, int[]>(StringComparer.Ordinal);
        foreach (var (recordingId, codes) in read.SampleLabels)
        {
            labels[recordingId] = Array.ConvertAll(
                codes,
                code => code >= 0 ? classOfCode[code] : SampleLabelTask.Unlabelled);
        }

        return new SampleLabelTask(classes, labels, windowSeconds, csv.HopSeconds);
    }

    private static RecordingLabelTask FileTask(CsvReadResult read, CsvSourceOptions csv, double windowSeconds)
    {
        var found = read.Recordings
            .Select(recording => recording.Label)
            .OfType<string>()
            .Distinct(StringComparer.Ordinal)
            .ToArray();
        var classes = ChooseClasses($"labels=file:{csv.FileLabelPattern}", found, csv.Classes);
        return new RecordingLabelTask(classes, windowSeconds, csv.HopSeconds);
    }

    /// <summary>Returns <paramref name="requested"/>, or the values found in ordinal order.</summary>
    private static IReadOnlyList<string> ChooseClasses(
        string option,
        string[] found,
        IReadOnlyList<string>? requested)
    {
        var foundText = found.Length == 0 ? "none" : string.Join(", ", found.Order(StringComparer.Ordinal));
        if (requested is not null)
        {
            var missing = requested.Where(name => IndexOf(found, name) < 0).ToArray();
            if (missing.Length > 0)
            {
                throw new ArgumentException(
                    $"Class '{missing[0]}' of classes= never occurs with {option}; the values found are: "
                    + $"{foundText}.");
            }

            return requested;
        }

        if (found.Length < 2)
        {
            throw new ArgumentException(
                $"{option} gives {found.Length} class(es) ({foundText}); training needs at least two. "
                + "Check the label column or the file names.");
        }

        return found.Order(StringComparer.Ordinal).ToArray();
    }

    private static int IndexOf(IReadOnlyList<string> values, string value)
    {
        for (var i = 0; i < values.Count; i++)
        {
            if (string.Equals(values[i], value, StringComparison.Ordinal))
            {
                return i;
            }
        }

        return -1;
    }
}
