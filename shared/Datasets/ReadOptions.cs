namespace SsdEdge.Datasets;

/// <summary>How a reader treats malformed rows.</summary>
/// <param name="Strict">When true, the first malformed row raises <see cref="DataFormatException"/>;
/// when false, it is skipped and reported in <see cref="ReadResult.Problems"/>.</param>
public sealed record ReadOptions(bool Strict = false);

/// <summary>A malformed row that was skipped.</summary>
/// <param name="Path">File that holds the row.</param>
/// <param name="Line">1-based line number.</param>
/// <param name="Message">What was expected and what was found.</param>
public sealed record RowProblem(string Path, int Line, string Message)
{
    /// <inheritdoc />
    public override string ToString() => $"{Path}:{Line}: {Message}";
}

/// <summary>Recordings read from a source, with the rows that were skipped.</summary>
/// <param name="Recordings">Recordings, in a stable order (by subject, then file).</param>
/// <param name="Problems">Skipped rows; empty when every row parsed.</param>
public sealed record ReadResult(IReadOnlyList<SsdEdge.Signals.Recording> Recordings, IReadOnlyList<RowProblem> Problems);

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
