namespace SsdEdge.Datasets;

/// <summary>How a reader treats malformed rows.</summary>
/// <param name="Strict">When true, the first malformed row (or gap in a time column) raises
/// <see cref="DataFormatException"/>. When false, it is reported in <see cref="ReadResult.Problems"/>
/// and, in readers of continuous recordings, kept in place as a sample of NaN so that later
/// samples keep their time; the UCR reader, whose rows are whole series, skips the row.</param>
public sealed record ReadOptions(bool Strict = false);

/// <summary>A malformed row, a gap in a time column, or a skipped file, with what the reader did.</summary>
/// <param name="Path">File that holds the row.</param>
/// <param name="Line">1-based line number.</param>
/// <param name="Message">What was expected and what was found, and what the reader did about it,
/// such as keeping the sample as NaN.</param>
public sealed record RowProblem(string Path, int Line, string Message)
{
    /// <inheritdoc />
    public override string ToString() => $"{Path}:{Line}: {Message}";
}

/// <summary>Recordings read from a source, with the problems found in them.</summary>
/// <param name="Recordings">Recordings, in a stable order (by subject, then file). They contain
/// NaN samples where rows were malformed or a time column had gaps.</param>
/// <param name="Problems">Malformed rows, gaps and skipped files; empty when every row parsed.</param>
public sealed record ReadResult(
    IReadOnlyList<SsdEdge.Signals.Recording> Recordings,
    IReadOnlyList<RowProblem> Problems);

/// <summary>A file that cannot be read as the expected format.</summary>
public sealed class DataFormatException : Exception
{
    /// <summary>Creates the exception; the message is prefixed with the file and line.</summary>
    public DataFormatException(string path, int line, string message)
        : base(line > 0 ? $"{path}:{line}: {message}" : $"{path}: {message}")
    {
        Path = path;
        Line = line;
    }

    /// <summary>Creates the exception with an underlying cause.</summary>
    public DataFormatException(string path, int line, string message, Exception inner)
        : base(line > 0 ? $"{path}:{line}: {message}" : $"{path}: {message}", inner)
    {
        Path = path;
        Line = line;
    }

    /// <summary>File that failed to parse.</summary>
    public string Path { get; } = "";

    /// <summary>1-based line number, or 0 when the problem is not tied to a line.</summary>
    public int Line { get; }
}
