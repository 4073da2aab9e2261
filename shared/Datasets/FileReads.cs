using SsdEdge.Signals;

namespace SsdEdge.Datasets;

/// <summary>Helpers the per-format readers share for whole files.</summary>
internal static class FileReads
{
    /// <summary>
    /// Reads one file of a folder. In strict mode a file-level <see cref="DataFormatException"/>
    /// propagates; otherwise the file is skipped and the error is reported as a problem at its line.
    /// </summary>
    public static void ReadOrSkip(
        string path,
        ProblemLog problems,
        Func<Recording> read,
        List<Recording> recordings)
    {
        if (ReadOrSkip(path, problems, read) is { } recording)
        {
            recordings.Add(recording);
        }
    }

    /// <summary>
    /// Reads one file of a folder and returns what <paramref name="read"/> returns, or null when
    /// the file was skipped and reported (outside strict mode only).
    /// </summary>
    public static T? ReadOrSkip<T>(string path, ProblemLog problems, Func<T> read)
        where T : class
    {
        try
        {
            return read();
        }
        catch (DataFormatException error) when (!problems.Strict)
        {
            problems.Report(path, error.Line, $"file skipped: {StripLocation(error)}");
            return null;
        }
    }

    /// <summary>Raises when a file yielded no valid data rows.</summary>
    /// <exception cref="DataFormatException">Always when <paramref name="rowCount"/> is 0.</exception>
    public static void RequireRows(string path, int rowCount, ProblemLog problems)
    {
        if (rowCount > 0)
        {
            return;
        }

        var skipped = problems.CountFor(path);
        var reason = skipped == 0
            ? "file contains no data rows (it is empty or has a header only)."
            : $"file contains no valid data rows; all {skipped} rows were malformed.";
        throw new DataFormatException(path, 0, reason);
    }

    /// <summary>Returns a file name without <c>.gz</c> and its last other extension.</summary>
    public static string StripExtensions(string fileName)
    {
        var name = fileName;
        if (name.EndsWith(".gz", StringComparison.OrdinalIgnoreCase))
        {
            name = name[..^3];
        }

        return Path.GetFileNameWithoutExtension(name);
    }

    private static string StripLocation(DataFormatException error)
    {
        var prefix = error.Line > 0 ? $"{error.Path}:{error.Line}: " : $"{error.Path}: ";
        return error.Message.StartsWith(prefix, StringComparison.Ordinal)
            ? error.Message[prefix.Length..]
            : error.Message;
    }
}
