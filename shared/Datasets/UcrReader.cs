using System.Globalization;
using SsdEdge.Signals;

namespace SsdEdge.Datasets;

/// <summary>
/// Reads a UCR time-series classification set: <c>NAME_TRAIN.tsv</c> and <c>NAME_TEST.tsv</c>,
/// tab-separated without a header, the class label in the first field and the series after it.
/// </summary>
/// <remarks>
/// Every row becomes one <see cref="Recording"/> with one channel named <see cref="ChannelName"/>,
/// its class as <see cref="Recording.Label"/> and <c>train</c> or <c>test</c> as
/// <see cref="Recording.Split"/>. The archive gives no sampling rate, so recordings carry a nominal
/// rate (<see cref="DefaultNominalRateHz"/> unless given): a model trained on UCR treats one whole
/// series as one window, and its contract's rate only has to match between training and serving.
/// Rows whose length differs from the first valid row, or that hold NaN (some UCR sets pad
/// variable-length series with NaN), are skipped and reported.
/// </remarks>
public static class UcrReader
{
    /// <summary>Nominal sampling rate given to UCR series, in Hz.</summary>
    public const double DefaultNominalRateHz = 1.0;

    /// <summary>Name of the single channel of every UCR recording.</summary>
    public const string ChannelName = "ecg";

    /// <summary>
    /// Reads the train and test files of the set at <paramref name="pathWithoutSuffix"/>, such as
    /// <c>data/ucr/ECG200</c> for <c>data/ucr/ECG200_TRAIN.tsv</c> and <c>_TEST.tsv</c>.
    /// </summary>
    /// <exception cref="FileNotFoundException">The train or test file does not exist.</exception>
    /// <exception cref="DataFormatException">A file has no valid rows, or a row is malformed in
    /// strict mode.</exception>
    public static ReadResult Read(
        string pathWithoutSuffix,
        ReadOptions? options = null,
        double nominalRateHz = DefaultNominalRateHz)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(pathWithoutSuffix);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(nominalRateHz);
        var problems = new ProblemLog(options);
        var setName = Path.GetFileName(pathWithoutSuffix);
        var channels = new[] { new ChannelSpec(ChannelName, ChannelKind.Ecg, "a.u.", nominalRateHz) };
        var recordings = new List<Recording>();
        var seriesLength = 0;
        foreach (var split in new[] { "train", "test" })
        {
            var path = pathWithoutSuffix + "_" + split.ToUpperInvariant() + ".tsv";
            var before = recordings.Count;
            ReadSplit(path, setName, split, channels, problems, recordings, ref seriesLength);
            FileReads.RequireRows(path, recordings.Count - before, problems);
        }

        return new ReadResult(recordings, problems.ToList());
    }

    private static void ReadSplit(
        string path,
        string setName,
        string split,
        ChannelSpec[] channels,
        ProblemLog problems,
        List<Recording> recordings,
        ref int seriesLength)
    {
        using var lines = new DelimitedLines(path, problems);
        var rowIndex = 0;
        while (lines.ReadLine() is { } line)
        {
            if (line.Length == 0)
            {
                continue;
            }

            var fields = DelimitedLines.Split(line, '\t');
            if (fields.Length < 2)
            {
                lines.Report(
                    $"expected a class label and series values separated by tabs, found {fields.Length} "
                    + "field.");
                continue;
            }

            if (seriesLength > 0 && fields.Length - 1 != seriesLength)
            {
                lines.Report(
                    $"expected {seriesLength} series values like the rows before, found {fields.Length - 1}.");
                continue;
            }

            var values = new float[fields.Length - 1];
            if (!lines.TryParseNumbers(fields, 1, values))
            {
                continue;
            }

            seriesLength = values.Length;
            var label = NormalizeLabel(fields[0]);
            var id = string.Create(CultureInfo.InvariantCulture, $"{setName}_{split}_{rowIndex:D5}");
            recordings.Add(new Recording(id, id, channels, [values], label: label, split: split));
            rowIndex++;
        }
    }

    /// <summary>Writes integral labels such as <c>1.0</c> as <c>1</c> so both files agree.</summary>
    private static string NormalizeLabel(string field)
    {
        if (double.TryParse(field, NumberStyles.Float, CultureInfo.InvariantCulture, out var number)
            && double.IsFinite(number)
            && number == Math.Round(number))
        {
            return number.ToString("0", CultureInfo.InvariantCulture);
        }

        return field;
    }
}
