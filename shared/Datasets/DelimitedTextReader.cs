using System.Globalization;
using SsdEdge.Signals;

namespace SsdEdge.Datasets;

/// <summary>
/// Reads a generic CSV/TSV recording with a column map, such as the NeuroKit event-related example
/// (header <c>ECG,EDA,Photosensor,RSP</c>, 100 Hz).
/// </summary>
/// <remarks>
/// Every row is one sample instant. Outside strict mode a malformed row is kept where it is: a
/// field that is not a finite number becomes NaN, and a row with the wrong field count becomes NaN
/// in every channel. With a time column the times place the samples: a step of more than 1.5
/// sample periods is a gap filled with NaN samples, and a row whose time is missing, repeated or
/// going backwards is malformed. Each of these is reported as a <see cref="RowProblem"/>, and the
/// quality gate rejects any window that overlaps a NaN sample. A NaN marker value never creates
/// an event.
/// </remarks>
public static class DelimitedTextReader
{
    /// <summary>Reads the recording in <paramref name="path"/>.</summary>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="DataFormatException">The file has no valid rows, a mapped column is missing,
    /// the rate cannot be found, or, in strict mode, a row is malformed or the time column has a
    /// gap.</exception>
    public static ReadResult Read(string path, DelimitedTextOptions? layout = null, ReadOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        var problems = new ProblemLog(options);
        var recording = ReadRecording(path, layout ?? new DelimitedTextOptions(), problems);
        return new ReadResult([recording], problems.ToList());
    }

    /// <summary>
    /// Reads one file, sending malformed rows to <paramref name="problems"/>. A malformed row stays
    /// in place as a NaN sample and gaps in a time column are filled with NaN samples, so the
    /// recording may contain NaN; the quality gate rejects every window that overlaps one.
    /// </summary>
    internal static Recording ReadRecording(
        string path,
        DelimitedTextOptions layout,
        ProblemLog problems,
        string? recordingId = null,
        string? label = null) =>
        ReadTable(path, layout, problems, null, recordingId, label).Recording;

    /// <summary>
    /// Reads one file as <see cref="ReadRecording"/> does, and returns its header names and, when
    /// <paramref name="layout"/> names a label column, the label code of every sample.
    /// </summary>
    /// <param name="path">File to read.</param>
    /// <param name="layout">Columns, delimiter and rate.</param>
    /// <param name="problems">Receives malformed rows.</param>
    /// <param name="labelValues">Codes of label texts, shared by the files of one read; null
    /// creates codes for this file alone.</param>
    /// <param name="recordingId">Recording id; null uses the file name without extensions.</param>
    /// <param name="label">Class of the whole recording, or null.</param>
    internal static DelimitedFile ReadTable(
        string path,
        DelimitedTextOptions layout,
        ProblemLog problems,
        SampleLabelValues? labelValues,
        string? recordingId = null,
        string? label = null)
    {
        using var lines = new DelimitedLines(path, problems);
        var first = ReadFirstLine(lines, layout);
        var firstLineNumber = lines.LineNumber;
        var delimiter = ChooseDelimiter(first, layout.Delimiter);
        var firstFields = DelimitedLines.Split(first, delimiter);
        var hasHeader = layout.HasHeader ?? firstFields.Any(field => !IsNumber(field));
        var columnNames = hasHeader
            ? firstFields
            : Enumerable.Range(1, firstFields.Length)
                .Select(i => i.ToString(CultureInfo.InvariantCulture))
                .ToArray();
        var table = new ColumnLayout(path, firstLineNumber, columnNames, layout);
        var parsed = new TableRows(table, labelValues);
        if (!hasHeader)
        {
            parsed.Add(lines, first, delimiter);
        }

        while (lines.ReadLine() is { } line)
        {
            if (line.Length == 0 || line.StartsWith(layout.CommentPrefix, StringComparison.Ordinal))
            {
                continue;
            }

            parsed.Add(lines, line, delimiter);
        }

        if (problems.Strict && parsed.ValidRowCount == 0)
        {
            // Every row is malformed, so the first row carries a problem and raises here. The
            // rate only matters for gaps, which are reported at later rows.
            parsed.Place(path, layout.SamplingRateHz ?? 1.0, layout.TimeUnitSeconds, problems);
        }

        FileReads.RequireRows(path, parsed.ValidRowCount, problems);
        var rate = layout.SamplingRateHz ?? parsed.DeriveRateHz(path, layout.TimeUnitSeconds);
        var (samples, events, sampleLabels) = parsed.Place(path, rate, layout.TimeUnitSeconds, problems);
        var channels = table.Channels
            .Select(mapping => new ChannelSpec(mapping.Channel, mapping.Kind, mapping.Unit, rate))
            .ToList();
        var id = recordingId ?? FileReads.StripExtensions(Path.GetFileName(path));
        var recording = new Recording(id, layout.SubjectId ?? id, channels, samples, events, label);
        return new DelimitedFile(recording, columnNames, sampleLabels);
    }

    /// <summary>Guesses modality and unit from a column name such as <c>EDA</c> or <c>emg_trapezius</c>.</summary>
    public static (ChannelKind Kind, string Unit) GuessKind(string columnName)
    {
        ArgumentNullException.ThrowIfNull(columnName);
        var name = columnName.ToLowerInvariant();
        if (name.Contains("eda", StringComparison.Ordinal) || name.Contains("gsr", StringComparison.Ordinal)
            || name.Contains("scl", StringComparison.Ordinal) || name.Contains("conductance", StringComparison.Ordinal))
        {
            return (ChannelKind.Eda, "uS");
        }

        if (name.Contains("ecg", StringComparison.Ordinal) || name.Contains("ekg", StringComparison.Ordinal))
        {
            return (ChannelKind.Ecg, "mV");
        }

        if (name.Contains("emg", StringComparison.Ordinal))
        {
            return (ChannelKind.Emg, "mV");
        }

        return (ChannelKind.Other, "a.u.");
    }

    private static string ReadFirstLine(DelimitedLines lines, DelimitedTextOptions layout)
    {
        while (lines.ReadLine() is { } line)
        {
            if (line.Trim().Length > 0 && !line.StartsWith(layout.CommentPrefix, StringComparison.Ordinal))
            {
                return line;
            }
        }

        throw new DataFormatException(lines.Path, 0, "file contains no data rows (it is empty).");
    }

    private static char? ChooseDelimiter(string firstLine, char? requested)
    {
        if (requested == ' ')
        {
            return null;
        }

        if (requested is not null)
        {
            return requested;
        }

        if (DelimitedLines.DetectDelimiter(firstLine) is { } detected)
        {
            return detected;
        }

        // A line without comma, semicolon or tab is either one column or whitespace-separated.
        return null;
    }

    private static bool IsNumber(string field) =>
        double.TryParse(field, NumberStyles.Float, CultureInfo.InvariantCulture, out _);
}
