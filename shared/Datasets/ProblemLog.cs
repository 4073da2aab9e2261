namespace SsdEdge.Datasets;

/// <summary>
/// Collects malformed rows for one read. In strict mode the first one raises
/// <see cref="DataFormatException"/>; otherwise up to <see cref="MaxListedPerFile"/> rows per file
/// are listed and the rest are counted in one summary problem per file.
/// </summary>
internal sealed class ProblemLog
{
    /// <summary>Rows listed one by one per file before the rest are only counted.</summary>
    public const int MaxListedPerFile = 100;

    private readonly List<RowProblem> _problems = [];
    private readonly Dictionary<string, int> _countByPath = new(StringComparer.Ordinal);

    public ProblemLog(ReadOptions? options)
    {
        Strict = options?.Strict ?? false;
    }

    /// <summary>Whether the first malformed row raises instead of being skipped.</summary>
    public bool Strict { get; }

    /// <summary>Records a malformed row, or raises in strict mode.</summary>
    /// <exception cref="DataFormatException">Strict mode.</exception>
    public void Report(string path, int line, string message) => Report(path, line, message, null);

    /// <summary>
    /// Records a malformed row with what the reader did about it, such as keeping its sample as
    /// NaN; in strict mode it raises with <paramref name="message"/> alone.
    /// </summary>
    /// <exception cref="DataFormatException">Strict mode.</exception>
    public void Report(string path, int line, string message, string? outcome)
    {
        if (Strict)
        {
            throw new DataFormatException(path, line, message);
        }

        if (outcome is not null)
        {
            message = message + " " + outcome;
        }

        _countByPath.TryGetValue(path, out var count);
        _countByPath[path] = count + 1;
        if (count < MaxListedPerFile)
        {
            _problems.Add(new RowProblem(path, line, message));
        }
    }

    /// <summary>Number of problems reported for <paramref name="path"/>, listed or not.</summary>
    public int CountFor(string path) => _countByPath.GetValueOrDefault(path);

    /// <summary>Returns the listed problems followed by one summary per file that had more.</summary>
    public IReadOnlyList<RowProblem> ToList()
    {
        var result = new List<RowProblem>(_problems);
        foreach (var (path, count) in _countByPath)
        {
            if (count > MaxListedPerFile)
            {
                result.Add(new RowProblem(
                    path,
                    0,
                    $"{count - MaxListedPerFile} more problems were found and not listed."));
            }
        }

        return result;
    }
}
