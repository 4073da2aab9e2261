using System.Globalization;
using System.Text.RegularExpressions;
using SsdEdge.Signals;

namespace SsdEdge.Datasets;

/// <summary>
/// Reads the FMOV skin-conductance and facial-EMG recordings: gzip-compressed, tab-separated
/// Acqknowledge text exports named <c>subjectNN_100hz.tsv.gz</c>, without a header, 100 Hz.
/// </summary>
/// <remarks>
/// Columns: skin conductance (µS), raw zygomaticus and corrugator EMG (mV), their rectified
/// envelopes (mV), then three stimulus markers (angry, happy, neutral face) that idle at 5 V and
/// drop to 0 V at a picture onset. The markers become <see cref="RecordingEvent"/>s at the first
/// sample below <see cref="MarkerThresholdVolts"/> after samples above it. A malformed row is kept
/// as a sample of NaN in the fields that did not parse, so later samples keep their time. A NaN
/// marker keeps the marker's previous side and never creates an onset.
/// </remarks>
public static partial class FmovReader
{
    /// <summary>Sampling rate of the exports, in Hz.</summary>
    public const double SamplingRateHz = 100;

    /// <summary>Marker level that separates idle (5 V) from onset (0 V), in volts.</summary>
    public const double MarkerThresholdVolts = 2.5;

    /// <summary>Event labels of the three marker columns, in column order.</summary>
    public static readonly IReadOnlyList<string> EventLabels = ["angry", "happy", "neutral"];

    /// <summary>Signal channels of every FMOV recording, in column order.</summary>
    public static readonly IReadOnlyList<ChannelSpec> Channels =
    [
        new("eda", ChannelKind.Eda, "uS", SamplingRateHz),
        new("emg_zygomaticus_raw", ChannelKind.Emg, "mV", SamplingRateHz),
        new("emg_corrugator_raw", ChannelKind.Emg, "mV", SamplingRateHz),
        new("emg_zygomaticus", ChannelKind.Emg, "mV", SamplingRateHz),
        new("emg_corrugator", ChannelKind.Emg, "mV", SamplingRateHz),
    ];

    private const int FieldCount = 8;

    /// <summary>
    /// Reads one file, or every <c>*.tsv.gz</c> and <c>*.tsv</c> file of a folder in name order.
    /// </summary>
    /// <exception cref="FileNotFoundException">The path does not exist.</exception>
    /// <exception cref="DataFormatException">A file has no valid rows or its gzip data is
    /// corrupt (in a folder read without strict mode such a file is skipped and reported), or a
    /// row is malformed in strict mode.</exception>
    public static ReadResult Read(string path, ReadOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        var problems = new ProblemLog(options);
        var recordings = new List<Recording>();
        if (Directory.Exists(path))
        {
            var files = Directory.EnumerateFiles(path)
                .Where(file => file.EndsWith(".tsv.gz", StringComparison.OrdinalIgnoreCase)
                    || file.EndsWith(".tsv", StringComparison.OrdinalIgnoreCase))
                .Order(StringComparer.Ordinal)
                .ToList();
            if (files.Count == 0)
            {
                throw new DataFormatException(path, 0, "folder contains no FMOV *.tsv.gz or *.tsv files.");
            }

            foreach (var file in files)
            {
                FileReads.ReadOrSkip(file, problems, () => ReadFile(file, problems), recordings);
            }
        }
        else
        {
            recordings.Add(ReadFile(path, problems));
        }

        return new ReadResult(recordings, problems.ToList());
    }

    /// <summary>Returns the subject id of an FMOV file name, such as <c>subject09</c>.</summary>
    public static string SubjectIdOf(string path)
    {
        var name = Path.GetFileName(path);
        var match = SubjectPattern().Match(name);
        if (match.Success)
        {
            return match.Groups[1].Value.ToLowerInvariant();
        }

        return FileReads.StripExtensions(name);
    }

    private static Recording ReadFile(string path, ProblemLog problems)
    {
        using var lines = new DelimitedLines(path, problems);
        var columns = new SampleColumns(Channels.Count);
        var events = new List<RecordingEvent>();
        var row = new float[FieldCount];
        var markerHigh = new bool?[EventLabels.Count];
        var validRows = 0;
        while (lines.ReadLine() is { } line)
        {
            if (line.Length == 0)
            {
                continue;
            }

            // Every row is one 10 ms instant, so a malformed row stays in place as NaN.
            if (ParseRow(lines, line, row))
            {
                validRows++;
            }

            var sampleIndex = columns.Count;
            for (var m = 0; m < markerHigh.Length; m++)
            {
                var high = MarkerSide.Next(row[Channels.Count + m], MarkerThresholdVolts, markerHigh[m]);
                if (markerHigh[m] == true && high == false)
                {
                    events.Add(new RecordingEvent(sampleIndex, EventLabels[m]));
                }

                markerHigh[m] = high;
            }

            columns.Add(row.AsSpan(0, Channels.Count));
        }

        FileReads.RequireRows(path, validRows, problems);
        var id = FileReads.StripExtensions(Path.GetFileName(path));
        return new Recording(id, SubjectIdOf(path), Channels, columns.ToArrays(), events);
    }

    /// <summary>
    /// Parses one row into <paramref name="row"/>, writing NaN for each field that is not a finite
    /// number and for every field when the field count is wrong, and reports the row when it is malformed.
    /// </summary>
    /// <returns>Whether every field parsed.</returns>
    private static bool ParseRow(DelimitedLines lines, string line, float[] row)
    {
        var fields = DelimitedLines.SplitExpecting(line, '\t', FieldCount, out var problem);
        if (fields is null)
        {
            Array.Fill(row, float.NaN);
            lines.Report(problem, DelimitedLines.KeptAsNaNInEveryChannel);
            return false;
        }

        if (DelimitedLines.ParseOrNaN(fields, 0, row) is { } badFields)
        {
            lines.Report(badFields, DelimitedLines.KeptAsNaN);
            return false;
        }

        return true;
    }

    [GeneratedRegex(@"^(subject\d+)", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex SubjectPattern();
}
