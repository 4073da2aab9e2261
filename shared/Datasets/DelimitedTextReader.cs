using System.Globalization;
using SsdEdge.Signals;

namespace SsdEdge.Datasets;

/// <summary>
/// Reads a generic CSV/TSV recording with a column map, such as the NeuroKit event-related example
/// (header <c>ECG,EDA,Photosensor,RSP</c>, 100 Hz).
/// </summary>
public static class DelimitedTextReader
{
    private static readonly string[] MarkerNameParts = ["photosensor", "marker", "trigger", "stim"];

    /// <summary>Reads the recording in <paramref name="path"/>.</summary>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="DataFormatException">The file has no valid rows, a mapped column is missing,
    /// the rate cannot be found, or a row is malformed in strict mode.</exception>
    public static ReadResult Read(string path, DelimitedTextOptions? layout = null, ReadOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        var problems = new ProblemLog(options);
        var recording = ReadRecording(path, layout ?? new DelimitedTextOptions(), problems);
        return new ReadResult([recording], problems.ToList());
    }

    /// <summary>Reads one file, sending malformed rows to <paramref name="problems"/>.</summary>
    internal static Recording ReadRecording(
        string path,
        DelimitedTextOptions layout,
        ProblemLog problems,
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
        var parsed = new TableRows(table);
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

        FileReads.RequireRows(path, parsed.Count, problems);
        var rate = layout.SamplingRateHz ?? parsed.DeriveRateHz(path, layout.TimeUnitSeconds);
        var channels = table.Channels
            .Select(mapping => new ChannelSpec(mapping.Channel, mapping.Kind, mapping.Unit, rate))
            .ToList();
        var id = recordingId ?? FileReads.StripExtensions(Path.GetFileName(path));
        return new Recording(
            id,
            layout.SubjectId ?? id,
            channels,
            parsed.ChannelArrays(),
            parsed.FindEvents(),
            label);
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

    /// <summary>Column indices of the time, channel and marker columns of one file.</summary>
    private sealed class ColumnLayout
    {
        public ColumnLayout(string path, int headerLine, string[] names, DelimitedTextOptions layout)
        {
            Names = names;
            TimeIndex = layout.TimeColumn is null ? -1 : Resolve(path, headerLine, layout.TimeColumn);
            if (layout.Columns is { } mappings)
            {
                Channels = [.. mappings];
            }
            else
            {
                Channels = [];
                for (var i = 0; i < names.Length; i++)
                {
                    if (i != TimeIndex)
                    {
                        var (kind, unit) = GuessKind(names[i]);
                        Channels.Add(new ColumnMapping(names[i], names[i].ToLowerInvariant(), kind, unit));
                    }
                }
            }

            if (Channels.Count == 0)
            {
                throw new DataFormatException(path, headerLine, "no channel columns are mapped.");
            }

            ChannelIndices = Channels.Select(mapping => Resolve(path, headerLine, mapping.Column)).ToArray();
            Markers = layout.Markers is { } markers
                ? [.. markers]
                : names.Where(IsMarkerName)
                    .Select(name => new MarkerColumn(name, name.ToLowerInvariant()))
                    .ToList();
            MarkerIndices = Markers.Select(marker => Resolve(path, headerLine, marker.Column)).ToArray();
        }

        public string[] Names { get; }

        public int TimeIndex { get; }

        public List<ColumnMapping> Channels { get; }

        public int[] ChannelIndices { get; }

        public List<MarkerColumn> Markers { get; }

        public int[] MarkerIndices { get; }

        private static bool IsMarkerName(string name) =>
            MarkerNameParts.Any(part => name.Contains(part, StringComparison.OrdinalIgnoreCase));

        private int Resolve(string path, int headerLine, string column)
        {
            for (var i = 0; i < Names.Length; i++)
            {
                if (string.Equals(Names[i], column, StringComparison.OrdinalIgnoreCase))
                {
                    return i;
                }
            }

            if (int.TryParse(column, NumberStyles.None, CultureInfo.InvariantCulture, out var position)
                && position >= 1 && position <= Names.Length)
            {
                return position - 1;
            }

            throw new DataFormatException(
                path,
                headerLine,
                $"column '{column}' was not found; the file has {Names.Length} columns: "
                + $"{string.Join(", ", Names)}.");
        }
    }

    /// <summary>Parsed rows of one file: channel samples, marker values and times.</summary>
    private sealed class TableRows
    {
        private readonly ColumnLayout _layout;
        private readonly SampleColumns _channels;
        private readonly SampleColumns? _markers;
        private readonly List<double> _times = [];
        private readonly float[] _channelRow;
        private readonly float[] _markerRow;

        public TableRows(ColumnLayout layout)
        {
            _layout = layout;
            _channels = new SampleColumns(layout.Channels.Count);
            _markers = layout.Markers.Count > 0 ? new SampleColumns(layout.Markers.Count) : null;
            _channelRow = new float[layout.Channels.Count];
            _markerRow = new float[layout.Markers.Count];
        }

        public int Count => _channels.Count;

        public void Add(DelimitedLines lines, string line, char? delimiter)
        {
            var fields = lines.SplitExpecting(line, delimiter, _layout.Names.Length);
            if (fields is null)
            {
                return;
            }

            var time = 0.0;
            if (_layout.TimeIndex >= 0)
            {
                if (!ParseField(lines, fields, _layout.TimeIndex, out var parsedTime))
                {
                    return;
                }

                time = ParseTime(fields[_layout.TimeIndex], parsedTime);
                if (_times.Count > 0 && time <= _times[^1])
                {
                    lines.Report(
                        $"time {fields[_layout.TimeIndex]} does not increase after the previous row's "
                        + $"{_times[^1].ToString(CultureInfo.InvariantCulture)}.");
                    return;
                }
            }

            for (var c = 0; c < _channelRow.Length; c++)
            {
                if (!ParseField(lines, fields, _layout.ChannelIndices[c], out var value))
                {
                    return;
                }

                _channelRow[c] = (float)(value * _layout.Channels[c].Scale);
            }

            for (var m = 0; m < _markerRow.Length; m++)
            {
                if (!ParseField(lines, fields, _layout.MarkerIndices[m], out _markerRow[m]))
                {
                    return;
                }
            }

            if (_layout.TimeIndex >= 0)
            {
                _times.Add(time);
            }

            _channels.Add(_channelRow);
            _markers?.Add(_markerRow);
        }

        public float[][] ChannelArrays() => _channels.ToArrays();

        public double DeriveRateHz(string path, double timeUnitSeconds)
        {
            if (_layout.TimeIndex < 0)
            {
                throw new DataFormatException(
                    path,
                    0,
                    "the sampling rate is unknown: give it, or name a time column to derive it from.");
            }

            if (_times.Count < 2)
            {
                throw new DataFormatException(path, 0, "a time column needs at least two rows to give a rate.");
            }

            var spanSeconds = (_times[^1] - _times[0]) * timeUnitSeconds;
            var rate = (_times.Count - 1) / spanSeconds;
            var nearest = Math.Round(rate);
            return nearest > 0 && Math.Abs(rate - nearest) <= 0.005 * nearest ? nearest : rate;
        }

        public List<RecordingEvent> FindEvents()
        {
            var events = new List<RecordingEvent>();
            if (_markers is null)
            {
                return events;
            }

            var markerArrays = _markers.ToArrays();
            for (var m = 0; m < markerArrays.Length; m++)
            {
                FindCrossings(markerArrays[m], _layout.Markers[m], events);
            }

            events.Sort((a, b) => a.SampleIndex.CompareTo(b.SampleIndex));
            return events;
        }

        /// <summary>Adds an event at every sample where the marker passes to its onset side.</summary>
        private static void FindCrossings(float[] values, MarkerColumn marker, List<RecordingEvent> events)
        {
            var threshold = marker.Threshold ?? (values.Min() + values.Max()) / 2.0;
            bool? above = null;
            for (var t = 0; t < values.Length; t++)
            {
                var now = MarkerSide.Next(values[t], threshold, above);
                var onset = above is { } before && now is { } after && before != after
                    && after == !marker.Falling;
                if (onset)
                {
                    events.Add(new RecordingEvent(t, marker.EventLabel));
                }

                above = now;
            }
        }

        private static double ParseTime(string field, float parsed) =>
            double.TryParse(field, NumberStyles.Float, CultureInfo.InvariantCulture, out var precise)
                ? precise
                : parsed;

        private bool ParseField(DelimitedLines lines, string[] fields, int index, out float value)
        {
            if (DelimitedLines.TryParseFinite(fields[index], out value, out var problem))
            {
                return true;
            }

            lines.Report(
                $"column '{_layout.Names[index]}' (field {index + 1}) is "
                + $"'{DelimitedLines.Shorten(fields[index])}': {problem}.");
            return false;
        }
    }
}
