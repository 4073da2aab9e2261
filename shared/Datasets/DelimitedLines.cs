using System.Globalization;

namespace SsdEdge.Datasets;

/// <summary>
/// Reads a delimited text file line by line, splits fields and parses finite numbers, sending
/// every malformed row to a <see cref="ProblemLog"/>.
/// </summary>
internal sealed class DelimitedLines : IDisposable
{
    /// <summary>Delimiters tried, in order, when a reader detects the delimiter from a line.</summary>
    public static readonly char[] CandidateDelimiters = [',', ';', '\t'];

    private readonly TextReader _reader;
    private readonly ProblemLog _problems;

    public DelimitedLines(string path, ProblemLog problems)
    {
        Path = path;
        _problems = problems;
        _reader = TextSource.Open(path);
    }

    /// <summary>File being read.</summary>
    public string Path { get; }

    /// <summary>1-based number of the line returned last by <see cref="ReadLine"/>.</summary>
    public int LineNumber { get; private set; }

    /// <summary>Returns the next line without its terminator, or null at the end of the file.</summary>
    public string? ReadLine()
    {
        string? line;
        try
        {
            line = _reader.ReadLine();
        }
        catch (IOException error)
        {
            throw new DataFormatException(Path, LineNumber + 1, $"reading failed: {error.Message}", error);
        }

        if (line is not null)
        {
            LineNumber++;
        }

        return line;
    }

    /// <summary>Reports a problem with the current line.</summary>
    public void Report(string message) => _problems.Report(Path, LineNumber, message);

    /// <summary>
    /// Splits <paramref name="line"/> at <paramref name="delimiter"/> (runs of spaces and tabs when
    /// it is null), trimming each field. One empty field after a trailing delimiter is dropped.
    /// </summary>
    public static string[] Split(string line, char? delimiter)
    {
        if (delimiter is null)
        {
            return line.Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries);
        }

        var fields = line.Split(delimiter.Value);
        var count = fields.Length;
        if (count > 1 && fields[^1].Trim().Length == 0)
        {
            count--;
        }

        var result = new string[count];
        for (var i = 0; i < count; i++)
        {
            result[i] = fields[i].Trim();
        }

        return result;
    }

    /// <summary>
    /// Splits the current line and checks its field count, reporting a mismatch with a hint when the
    /// line looks separated by another delimiter.
    /// </summary>
    /// <returns>The fields, or null when the row was reported and must be skipped.</returns>
    public string[]? SplitExpecting(string line, char? delimiter, int expectedFields)
    {
        var fields = Split(line, delimiter);
        if (fields.Length == expectedFields)
        {
            return fields;
        }

        Report(
            $"expected {expectedFields} {DescribeDelimiter(delimiter)}-separated fields, "
            + $"found {fields.Length}{DelimiterHint(line, delimiter)}.");
        return null;
    }

    /// <summary>
    /// Parses <paramref name="fields"/>[<paramref name="first"/>..] into <paramref name="values"/>,
    /// reporting the first field that is not a finite number.
    /// </summary>
    /// <returns>Whether every field parsed; when false the row was reported.</returns>
    public bool TryParseNumbers(string[] fields, int first, Span<float> values)
    {
        for (var i = 0; i < values.Length; i++)
        {
            if (!TryParseFinite(fields[first + i], out values[i], out var problem))
            {
                Report($"field {first + i + 1} is '{Shorten(fields[first + i])}': {problem}.");
                return false;
            }
        }

        return true;
    }

    /// <summary>Parses one field as a finite single-precision number.</summary>
    public static bool TryParseFinite(string field, out float value, out string problem)
    {
        value = 0;
        if (!double.TryParse(field, NumberStyles.Float, CultureInfo.InvariantCulture, out var parsed))
        {
            problem = "expected a number";
            return false;
        }

        if (double.IsNaN(parsed) || double.IsInfinity(parsed))
        {
            problem = "expected a finite number; NaN and infinity are rejected";
            return false;
        }

        value = (float)parsed;
        if (float.IsInfinity(value))
        {
            problem = "the number is outside the single-precision range";
            return false;
        }

        problem = "";
        return true;
    }

    /// <summary>Returns the first candidate delimiter found in <paramref name="line"/>, or null.</summary>
    public static char? DetectDelimiter(string line)
    {
        var best = (char?)null;
        var bestCount = 0;
        foreach (var candidate in CandidateDelimiters)
        {
            var count = line.Count(character => character == candidate);
            if (count > bestCount)
            {
                best = candidate;
                bestCount = count;
            }
        }

        return best;
    }

    /// <summary>Returns a readable name of a delimiter for messages.</summary>
    public static string DescribeDelimiter(char? delimiter) => delimiter switch
    {
        null => "whitespace",
        '\t' => "tab",
        ',' => "comma",
        ';' => "semicolon",
        ' ' => "space",
        _ => $"'{delimiter}'",
    };

    /// <summary>Shortens a field for a message so that a binary line does not flood the log.</summary>
    public static string Shorten(string field) => field.Length <= 40 ? field : field[..40] + "...";

    /// <inheritdoc />
    public void Dispose() => _reader.Dispose();

    private static string DelimiterHint(string line, char? delimiter)
    {
        foreach (var candidate in CandidateDelimiters)
        {
            if (candidate != delimiter && line.Contains(candidate, StringComparison.Ordinal))
            {
                return $"; the line contains {DescribeDelimiter(candidate)}s, so the file may use "
                    + "another delimiter";
            }
        }

        return "";
    }
}
