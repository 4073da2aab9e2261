using System.Globalization;

namespace SsdEdge.Datasets;

/// <summary>
/// Places the rows of a file with a time column on the sample grid of its rate, so that a
/// malformed row or a gap in the time column never moves later samples to other instants.
/// </summary>
/// <remarks>
/// <para>
/// A row whose time parses, increases and lies within the gap budget is accepted. When it follows
/// the previous accepted row by more than 1.5 sample periods, the rows between the two that have
/// no usable time (a missing, unparsable, repeated or backward time) fill the missing instants
/// first. Inserted NaN samples fill the rest, and they are reported as one problem.
/// When those rows outnumber the missing instants (a duplicated line, say), the surplus rows are
/// dropped and reported. Rows without a usable time become NaN in every channel, because their
/// instant is only inferred. Each step is measured from the previous accepted time, so a clock
/// that drifts slowly never accumulates into a gap.
/// </para>
/// <para>
/// NOTE: the NaN samples inserted over a whole file are capped at the larger of its row count and
/// <see cref="MinGapBudgetSeconds"/> of samples, so that a mistyped time cannot allocate without
/// bound. A jump beyond the budget is taken as an error in the time column: that row is kept as an
/// all-NaN sample at the next instant, and so is every later row until the times return to the
/// accepted range. The budget is a judgement, not a limit taken from any dataset.
/// </para>
/// </remarks>
internal sealed class SampleTimeline
{
    /// <summary>Seconds of NaN samples a file may always gain from gaps, whatever its row count.</summary>
    public const double MinGapBudgetSeconds = 60;

    private readonly string _path;
    private readonly double[] _times;
    private readonly IReadOnlyList<int> _lineNumbers;
    private readonly IReadOnlyList<RowNote> _notes;
    private readonly ProblemLog _problems;
    private readonly double _rateHz;
    private readonly double _periodUnits;
    private readonly int[] _positions;
    private readonly List<(int Row, string? Problem)> _untimed = [];
    private long _gapBudget;
    private int _noteIndex;
    private int _next;
    private double _previous = double.NaN;

    private SampleTimeline(
        string path,
        double[] times,
        IReadOnlyList<int> lineNumbers,
        IReadOnlyList<RowNote> notes,
        double rateHz,
        double timeUnitSeconds,
        ProblemLog problems)
    {
        _path = path;
        _times = times;
        _lineNumbers = lineNumbers;
        _notes = notes;
        _problems = problems;
        _rateHz = rateHz;
        _periodUnits = 1.0 / (rateHz * timeUnitSeconds);
        _positions = new int[times.Length];
        var budget = Math.Max(times.Length, Math.Ceiling(MinGapBudgetSeconds * rateHz));
        _gapBudget = (long)Math.Min(budget, int.MaxValue - times.Length);
    }

    /// <summary>
    /// Places every row and reports every note and gap in line order; in strict mode the first one
    /// raises. Rows without a usable time get NaN in <paramref name="times"/>.
    /// </summary>
    /// <param name="path">File the rows came from.</param>
    /// <param name="times">Time of each row in the file's unit, NaN when it did not parse.</param>
    /// <param name="lineNumbers">1-based line of each row.</param>
    /// <param name="notes">Problems found while parsing, in row order.</param>
    /// <param name="rateHz">Sampling rate of the file.</param>
    /// <param name="timeUnitSeconds">Seconds per unit of <paramref name="times"/>.</param>
    /// <param name="problems">Log that receives the reports.</param>
    /// <param name="length">Number of sample instants, inserted NaN samples included.</param>
    /// <returns>The sample index of each row, or -1 for a dropped row.</returns>
    /// <exception cref="DataFormatException">Strict mode and a row is malformed or a gap was found.</exception>
    public static int[] Place(
        string path,
        double[] times,
        IReadOnlyList<int> lineNumbers,
        IReadOnlyList<RowNote> notes,
        double rateHz,
        double timeUnitSeconds,
        ProblemLog problems,
        out int length)
    {
        var timeline = new SampleTimeline(path, times, lineNumbers, notes, rateHz, timeUnitSeconds, problems);
        for (var row = 0; row < times.Length; row++)
        {
            timeline.Add(row);
        }

        timeline.PlaceUntimed(timeline._untimed.Count);
        length = timeline._next;
        return timeline._positions;
    }

    private static string Format(double time) => time.ToString(CultureInfo.InvariantCulture);

    private void Add(int row)
    {
        var time = _times[row];
        var missing = 0L;
        string? problem = null;
        if (!double.IsNaN(time) && !double.IsNaN(_previous))
        {
            var step = time - _previous;
            if (step <= 0)
            {
                problem = $"time {Format(time)} does not increase after the previous valid time {Format(_previous)}.";
            }
            else if (step > 1.5 * _periodUnits)
            {
                missing = (long)Math.Round(step / _periodUnits) - 1 - _untimed.Count;
                if (missing > _gapBudget)
                {
                    problem = $"time {Format(time)} jumps from the previous valid time {Format(_previous)} "
                        + $"over {missing} missing samples at {_rateHz} Hz, more than the {_gapBudget} "
                        + "NaN samples left for gaps in this file, so the time is taken as an error.";
                }
            }
            else
            {
                missing = -_untimed.Count;
            }
        }

        if (double.IsNaN(time) || problem is not null)
        {
            _times[row] = double.NaN;
            _untimed.Add((row, problem));
            return;
        }

        // Rows without a usable time fill the instants before this row; any left over are dropped.
        PlaceUntimed(_untimed.Count + (int)Math.Min(0, missing));
        if (missing > 0)
        {
            _gapBudget -= missing;
            _next = checked(_next + (int)missing);
            _problems.Report(
                _path,
                _lineNumbers[row],
                $"time {Format(time)} follows the previous valid time {Format(_previous)}, so {missing} "
                + $"sample instants at {_rateHz} Hz have no row.",
                $"{missing} NaN samples were inserted for them.");
        }

        _positions[row] = _next++;
        ReportNote(row, null, DelimitedLines.KeptAsNaN);
        _previous = time;
    }

    /// <summary>Places the first <paramref name="kept"/> rows without a time, drops the rest.</summary>
    private void PlaceUntimed(int kept)
    {
        for (var k = 0; k < _untimed.Count; k++)
        {
            var (row, problem) = _untimed[k];
            if (k < kept)
            {
                _positions[row] = _next++;
                ReportNote(row, problem, DelimitedLines.KeptAsNaNInEveryChannel);
            }
            else
            {
                _positions[row] = -1;
                ReportNote(
                    row,
                    problem,
                    "The row was dropped because the valid times around it leave no sample instant for it.");
            }
        }

        _untimed.Clear();
    }

    /// <summary>
    /// Reports the parse note of <paramref name="row"/>, replacing its message by
    /// <paramref name="timeProblem"/> when the row's time was rejected here.
    /// </summary>
    private void ReportNote(int row, string? timeProblem, string outcome)
    {
        string? message = timeProblem;
        string? noteOutcome = null;
        if (_noteIndex < _notes.Count && _notes[_noteIndex].Row == row)
        {
            message ??= _notes[_noteIndex].Message;
            noteOutcome = _notes[_noteIndex].Outcome;
            _noteIndex++;
        }

        if (message is not null)
        {
            var finalOutcome = timeProblem is null && noteOutcome is not null ? noteOutcome : outcome;
            _problems.Report(_path, _lineNumbers[row], message, finalOutcome);
        }
    }
}
