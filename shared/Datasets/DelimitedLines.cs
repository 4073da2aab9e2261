using System.Globalization;

namespace SsdEdge.Datasets;

/// <summary>
/// Reads a delimited text file line by line, splits fields and parses finite numbers, sending
/// malformed rows to a <see cref="ProblemLog"/>.
/// </summary>
internal sealed class DelimitedLines : IDisposable
{
    /// <summary>Delimiters tried, in order, when a reader detects the delimiter from a line.</summary>
    public static readonly char[] CandidateDelimiters = [',', ';', '\t'];

    /// <summary>Outcome of a malformed row whose fields that did not parse became NaN.</summary>
    public const string KeptAsNaN = "The sample was kept as NaN where a field did not parse.";

    /// <summary>Outcome of a malformed row that became NaN in every channel.</summary>
    public const string KeptAsNaNInEveryChannel = "The sample was kept as NaN in every channel.";

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

    /// <summary>Reports a problem with the current line and what the reader did about it.</summary>
    public void Report(string message, string outcome) => _problems.Report(Path, LineNumber, message, outcome);

    /// <summary>
    /// Splits <paramref name="line"/> and checks its field count. On a mismatch it returns null and
    /// sets <paramref name="problem"/> to a message with a hint when the line looks separated by
    /// another delimiter; it reports nothing itself.
    /// </summary>
    public static string[]? SplitExpecting(string line, char? delimiter, int expectedFields, out string problem)
    {
        var fields = Split(line, delimiter);
        if (fields.Length == expectedFields)
        {
            problem = "";
            return fields;
        }

        problem = $"expected {expectedFields} {DescribeDelimiter(delimiter)}-separated fields, "
            + $"found {fields.Length}{DelimiterHint(line, delimiter)}.";
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

    /// <summary>
    /// Parses <paramref name="fields"/>[<paramref name="first"/>..] into <paramref name="values"/>,
    /// writing NaN for each field that is not a finite number.
    /// </summary>
    /// <returns>Null when every field parsed, otherwise a message naming the first bad field and
    /// how many others failed, for <see cref="Report(string, string)"/> with <see cref="KeptAsNaN"/>.</returns>
    public static string? ParseOrNaN(string[] fields, int first, Span<float> values)
    {
        string? problem = null;
        var badFields = 0;
        for (var i = 0; i < values.Length; i++)
        {
            var field = fields[first + i];
            if (!TryParseFinite(field, out values[i], out var fieldProblem))
            {
                values[i] = float.NaN;
                badFields++;
                problem ??= $"field {first + i + 1} is '{Shorten(field)}': {fieldProblem}";
            }
        }

        return DescribeBadFields(problem, badFields);
    }

    /// <summary>
    /// Returns <paramref name="firstProblem"/> as a sentence, adding how many other fields failed, or
    /// null when none did.
    /// </summary>
    public static string? DescribeBadFields(string? firstProblem, int badFields) => badFields switch
    {
        0 => null,
        1 => firstProblem + ".",
        _ => $"{firstProblem}; {badFields - 1} more fields of the row are invalid too.",
    };

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
