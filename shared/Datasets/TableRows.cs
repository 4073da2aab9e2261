using System.Globalization;
using SsdEdge.Signals;

namespace SsdEdge.Datasets;

/// <summary>
/// Parsed rows of one delimited file: channel samples, marker values, times, and the problems
/// found, which are reported when <see cref="Place"/> has given every row its sample instant.
/// </summary>
/// <remarks>
/// Every row is one sample instant, so a malformed row is kept: a field that is not a finite
/// number becomes NaN, and a row with the wrong field count or without a usable time becomes NaN
/// in every channel. With a time column, <see cref="SampleTimeline"/> also fills gaps with NaN.
/// </remarks>
internal sealed class TableRows
{
    private readonly ColumnLayout _layout;
    private readonly SampleColumns _channels;
    private readonly SampleColumns? _markers;
    private readonly List<double> _times = [];
    private readonly List<int> _lineNumbers = [];
    private readonly List<RowNote> _notes = [];
    private readonly List<int>? _labels;
    private readonly SampleLabelValues? _labelValues;
    private readonly float[] _channelRow;
    private readonly float[] _markerRow;

    /// <summary>Creates the rows of a file.</summary>
    /// <param name="layout">Column indices of the file.</param>
    /// <param name="labelValues">Codes of label texts, required when the layout has a label column.</param>
    public TableRows(ColumnLayout layout, SampleLabelValues? labelValues = null)
    {
        _layout = layout;
        if (layout.LabelIndex >= 0)
        {
            _labels = [];
            _labelValues = labelValues ?? new SampleLabelValues();
        }

        _channels = new SampleColumns(layout.Channels.Count);
        _markers = layout.Markers.Count > 0 ? new SampleColumns(layout.Markers.Count) : null;
        _channelRow = new float[layout.Channels.Count];
        _markerRow = new float[layout.Markers.Count];
    }

    /// <summary>Rows in which every field parsed.</summary>
    public int ValidRowCount { get; private set; }

    private bool HasTime => _layout.TimeIndex >= 0;

    /// <summary>Parses the current line of <paramref name="lines"/> as one row.</summary>
    public void Add(DelimitedLines lines, string line, char? delimiter)
    {
        var row = _lineNumbers.Count;
        _lineNumbers.Add(lines.LineNumber);
        var fields = DelimitedLines.SplitExpecting(line, delimiter, _layout.Names.Length, out var splitProblem)
            ?? WithBlankLastLabel(line, delimiter);
        if (fields is null)
        {
            AddUntimed(row, splitProblem);
            return;
        }

        var time = double.NaN;
        if (HasTime && !TryParseTime(fields[_layout.TimeIndex], out time, out var timeProblem))
        {
            AddUntimed(row, DescribeField(_layout.TimeIndex, fields, timeProblem) + ".");
            return;
        }

        _labels?.Add(_labelValues!.CodeOf(fields[_layout.LabelIndex]));

        string? firstProblem = null;
        var badFields = 0;
        for (var c = 0; c < _channelRow.Length; c++)
        {
            var value = ParseField(fields, _layout.ChannelIndices[c], ref firstProblem, ref badFields);
            _channelRow[c] = (float)(value * _layout.Channels[c].Scale);
        }

        for (var m = 0; m < _markerRow.Length; m++)
        {
            _markerRow[m] = ParseField(fields, _layout.MarkerIndices[m], ref firstProblem, ref badFields);
        }

        if (DelimitedLines.DescribeBadFields(firstProblem, badFields) is { } problem)
        {
            _notes.Add(new RowNote(row, problem, DelimitedLines.KeptAsNaN));
        }
        else
        {
            ValidRowCount++;
        }

        AddRow(time);
    }

    /// <summary>
    /// Derives the sampling rate from the time column: the reciprocal of the mean step over the
    /// regular steps, those within half a period of the median step, so that gaps, repeated
    /// times and mistyped times do not bias it. A rate within 0.5 % of an integer is snapped to it.
    /// </summary>
    /// <exception cref="DataFormatException">There is no time column or it never increases.</exception>
    public double DeriveRateHz(string path, double timeUnitSeconds)
    {
        if (!HasTime)
        {
            throw new DataFormatException(
                path,
                0,
                "the sampling rate is unknown: give it, or name a time column to derive it from.");
        }

        var steps = new List<double>();
        var latest = double.NaN;
        foreach (var time in _times)
        {
            if (double.IsNaN(time) || time <= latest)
            {
                continue;
            }

            if (!double.IsNaN(latest))
            {
                steps.Add(time - latest);
            }

            latest = time;
        }

        if (steps.Count == 0)
        {
            throw new DataFormatException(
                path,
                0,
                "a time column needs at least two valid rows with increasing times to give a rate.");
        }

        steps.Sort();
        var median = steps[steps.Count / 2];
        var regular = steps.Where(step => Math.Abs(step - median) <= 0.5 * median).ToList();
        var rate = regular.Count / (regular.Sum() * timeUnitSeconds);
        var nearest = Math.Round(rate);
        return nearest > 0 && Math.Abs(rate - nearest) <= 0.005 * nearest ? nearest : rate;
    }

    /// <summary>
    /// Gives every row its sample instant, reports the problems in line order, and returns the
    /// channel samples and events of the placed rows.
    /// </summary>
    /// <exception cref="DataFormatException">Strict mode and a row is malformed or the time
    /// column has a gap.</exception>
    /// <remarks>
    /// The sample labels, when the layout has a label column, are codes of
    /// <see cref="SampleLabelValues"/> per sample, <see cref="SampleLabelValues.Unlabelled"/> where a
    /// row was malformed or a gap was filled; otherwise they are null.
    /// </remarks>
    public (float[][] Samples, List<RecordingEvent> Events, int[]? Labels) Place(
        string path,
        double rateHz,
        double timeUnitSeconds,
        ProblemLog problems)
    {
        if (!HasTime)
        {
            foreach (var note in _notes)
            {
                problems.Report(
                    path,
                    _lineNumbers[note.Row],
                    note.Message,
                    note.Outcome ?? DelimitedLines.KeptAsNaNInEveryChannel);
            }

            var markers = _markers?.ToArrays() ?? [];
            return (_channels.ToArrays(), FindEvents(markers), _labels?.ToArray());
        }

        var times = _times.ToArray();
        var positions = SampleTimeline.Place(
            path, times, _lineNumbers, _notes, rateHz, timeUnitSeconds, problems, out var length);
        var samples = Scatter(_channels.ToArrays(), positions, times, length);
        var placedMarkers = _markers is null ? [] : Scatter(_markers.ToArrays(), positions, times, length);
        var labels = _labels is null ? null : ScatterLabels(_labels, positions, times, length);
        return (samples, FindEvents(placedMarkers), labels);
    }

    /// <summary>Copies each row's label code to its instant; every other instant is unlabelled.</summary>
    private static int[] ScatterLabels(List<int> rows, int[] positions, double[] times, int length)
    {
        var result = new int[length];
        Array.Fill(result, SampleLabelValues.Unlabelled);
        for (var row = 0; row < positions.Length; row++)
        {
            if (positions[row] >= 0 && !double.IsNaN(times[row]))
            {
                result[positions[row]] = rows[row];
            }
        }

        return result;
    }

    /// <summary>Copies each row with a usable time to its instant; every other instant is NaN.</summary>
    private static float[][] Scatter(float[][] rows, int[] positions, double[] times, int length)
    {
        var result = new float[rows.Length][];
        for (var c = 0; c < rows.Length; c++)
        {
            result[c] = new float[length];
            Array.Fill(result[c], float.NaN);
            for (var row = 0; row < positions.Length; row++)
            {
                if (positions[row] >= 0 && !double.IsNaN(times[row]))
                {
                    result[c][positions[row]] = rows[c][row];
                }
            }
        }

        return result;
    }

    /// <summary>Adds an event at every sample where a marker passes to its onset side.</summary>
    private List<RecordingEvent> FindEvents(float[][] markerArrays)
    {
        var events = new List<RecordingEvent>();
        for (var m = 0; m < markerArrays.Length; m++)
        {
            FindCrossings(markerArrays[m], _layout.Markers[m], events);
        }

        events.Sort((a, b) => a.SampleIndex.CompareTo(b.SampleIndex));
        return events;
    }

    /// <summary>
    /// Adds an event at every sample where the marker passes to its onset side. A NaN sample keeps
    /// the side before it, so it never creates an onset. A crossing across NaN samples is placed
    /// at the first finite sample on the onset side.
    /// </summary>
    private static void FindCrossings(float[] values, MarkerColumn marker, List<RecordingEvent> events)
    {
        var finite = values.Where(float.IsFinite).ToList();
        if (finite.Count == 0)
        {
            return;
        }

        var threshold = marker.Threshold ?? (finite.Min() + finite.Max()) / 2.0;
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

    /// <summary>
    /// Returns the fields of a line whose last field, the label column, is blank (<c>1.2,</c>):
    /// splitting drops one empty field after a trailing delimiter, which would make the row
    /// short. Returns null for any other line.
    /// </summary>
    private string[]? WithBlankLastLabel(string line, char? delimiter)
    {
        var count = _layout.Names.Length;
        if (_layout.LabelIndex != count - 1 || delimiter is not { } separator
            || line.Split(separator).Length != count)
        {
            return null;
        }

        var fields = DelimitedLines.Split(line, delimiter);
        return fields.Length == count - 1 ? [.. fields, ""] : null;
    }

    private static bool TryParseTime(string field, out double time, out string problem)
    {
        if (!double.TryParse(field, NumberStyles.Float, CultureInfo.InvariantCulture, out time))
        {
            problem = "expected a number";
            return false;
        }

        if (!double.IsFinite(time))
        {
            problem = "expected a finite number; NaN and infinity are rejected";
            return false;
        }

        problem = "";
        return true;
    }

    /// <summary>Adds a row whose instant is unknown: NaN in every channel and marker.</summary>
    private void AddUntimed(int row, string problem)
    {
        _notes.Add(new RowNote(row, problem, HasTime ? null : DelimitedLines.KeptAsNaNInEveryChannel));
        Array.Fill(_channelRow, float.NaN);
        Array.Fill(_markerRow, float.NaN);
        _labels?.Add(SampleLabelValues.Unlabelled);
        AddRow(double.NaN);
    }

    private void AddRow(double time)
    {
        if (HasTime)
        {
            _times.Add(time);
        }

        _channels.Add(_channelRow);
        _markers?.Add(_markerRow);
    }

    private float ParseField(string[] fields, int index, ref string? firstProblem, ref int badFields)
    {
        if (DelimitedLines.TryParseFinite(fields[index], out var value, out var problem))
        {
            return value;
        }

        badFields++;
        firstProblem ??= DescribeField(index, fields, problem);
        return float.NaN;
    }

    private string DescribeField(int index, string[] fields, string problem) =>
        $"column '{_layout.Names[index]}' (field {index + 1}) is '{DelimitedLines.Shorten(fields[index])}': {problem}";
}
