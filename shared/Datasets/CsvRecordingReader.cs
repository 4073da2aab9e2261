using SsdEdge.Signals;

namespace SsdEdge.Datasets;

/// <summary>
/// Reads a <c>csv:</c> source: one delimited file, or every <c>*.csv</c> and <c>*.tsv</c> file of a
/// folder (plain or <c>.gz</c>), each file one recording.
/// </summary>
/// <remarks>
/// <para>
/// Files of a folder are read in ordinal order of their names; sub-folders and names starting with
/// <c>.</c> (such as macOS <c>._</c> files) are not read. Each recording's id is its file name
/// without extensions, and its subject id comes from <see cref="CsvSourceOptions.SubjectOf"/>, so
/// several files may belong to one subject.
/// </para>
/// <para>
/// Every file must have the same columns as the first one read, in any order; a file that differs
/// raises <see cref="DataFormatException"/> in both modes, as does a file name that the subject or
/// label expression does not match. A file that cannot be read (empty, or without one valid row)
/// raises in strict mode and is otherwise skipped and reported as a problem. Malformed rows become
/// NaN samples as in <see cref="DelimitedTextReader"/>.
/// </para>
/// </remarks>
public static class CsvRecordingReader
{
    private static readonly string[] Extensions = [".csv", ".tsv", ".csv.gz", ".tsv.gz"];

    /// <summary>Reads the file or folder of a <c>csv:</c> source.</summary>
    /// <exception cref="ArgumentException">A source parameter is unknown or invalid.</exception>
    /// <exception cref="FileNotFoundException">The path does not exist.</exception>
    /// <exception cref="DataFormatException">A folder contains no CSV file or no readable one, the files
    /// disagree in columns, a file name does not match an expression, or, in strict mode, a file or
    /// row is malformed.</exception>
    public static ReadResult Read(RecordingSource source, ReadOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(source);
        var result = ReadWithLabels(source.Path, CsvSourceOptions.Parse(source), options);
        return new ReadResult(result.Recordings, result.Problems);
    }

    /// <summary>Reads <paramref name="path"/> with <paramref name="csv"/>, keeping the label codes.</summary>
    internal static CsvReadResult ReadWithLabels(string path, CsvSourceOptions csv, ReadOptions? options)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        ArgumentNullException.ThrowIfNull(csv);
        var isFolder = Directory.Exists(path);
        if (!isFolder && !File.Exists(path))
        {
            throw new FileNotFoundException($"Recording source '{path}' was not found.", path);
        }

        var files = isFolder ? ListFiles(path) : [path];
        var problems = new ProblemLog(options);
        var labelValues = new SampleLabelValues();
        var recordings = new List<Recording>();
        var sampleLabels = new Dictionary<string, int[]>(StringComparer.Ordinal);
        var fileOfRecording = new Dictionary<string, string>(StringComparer.Ordinal);
        DelimitedFile? reference = null;
        string? referencePath = null;
        foreach (var file in files)
        {
            // Name-based ids and labels are settings errors, so they raise even outside strict mode.
            var subject = csv.SubjectOf(file);
            var label = csv.FileLabelOf(file);
            var layout = csv.Layout with { SubjectId = subject };
            var read = FileReads.ReadOrSkip(
                file,
                problems,
                () => DelimitedTextReader.ReadTable(file, layout, problems, labelValues, label: label));
            if (read is null)
            {
                continue;
            }

            if (reference is null)
            {
                reference = read;
                referencePath = file;
            }
            else
            {
                RequireSameColumns(file, read.ColumnNames, referencePath!, reference.ColumnNames);
            }

            var id = read.Recording.Id;
            if (!fileOfRecording.TryAdd(id, file))
            {
                throw new DataFormatException(
                    file,
                    0,
                    $"recording id '{id}' is also the id of '{fileOfRecording[id]}'; ids are file names "
                    + "without extensions, so rename one of the two files.");
            }

            recordings.Add(read.Recording);
            if (read.SampleLabels is { } codes)
            {
                sampleLabels[id] = codes;
            }
        }

        var listed = problems.ToList();
        if (recordings.Count == 0)
        {
            throw new DataFormatException(
                path,
                0,
                $"none of the {files.Count} files could be read; first problem: {(listed.Count > 0 ? listed[0] : "none")}");
        }

        return new CsvReadResult(recordings, listed, labelValues.Values, sampleLabels);
    }

    private static List<string> ListFiles(string folder)
    {
        var files = Directory.EnumerateFiles(folder)
            .Where(file =>
            {
                var name = Path.GetFileName(file);
                return !name.StartsWith('.')
                    && Extensions.Any(extension => name.EndsWith(extension, StringComparison.OrdinalIgnoreCase));
            })
            .Order(StringComparer.Ordinal)
            .ToList();
        if (files.Count == 0)
        {
            throw new DataFormatException(
                folder,
                0,
                "folder contains no *.csv or *.tsv files (plain or .gz); point csv: at a folder of "
                + "recordings or at one file.");
        }

        return files;
    }

    private static void RequireSameColumns(
        string path,
        IReadOnlyList<string> columns,
        string referencePath,
        IReadOnlyList<string> referenceColumns)
    {
        var missing = referenceColumns.Except(columns, StringComparer.OrdinalIgnoreCase).ToArray();
        var extra = columns.Except(referenceColumns, StringComparer.OrdinalIgnoreCase).ToArray();
        if (missing.Length == 0 && extra.Length == 0 && columns.Count == referenceColumns.Count)
        {
            return;
        }

        throw new DataFormatException(
            path,
            0,
            $"columns ({string.Join(", ", columns)}) differ from those of '{Path.GetFileName(referencePath)}' "
            + $"({string.Join(", ", referenceColumns)}): missing {Describe(missing)}, extra {Describe(extra)}. "
            + "Every file of a folder must have the same columns; fix the file or move it out of the folder.");
    }

    private static string Describe(string[] columns) =>
        columns.Length == 0 ? "none" : string.Join(", ", columns.Select(column => $"'{column}'"));
}

/// <summary>Recordings of a <c>csv:</c> source with the label codes of a label column.</summary>
/// <param name="Recordings">Recordings in file-name order.</param>
/// <param name="Problems">Malformed rows and skipped files.</param>
/// <param name="LabelValues">Texts of the label column, indexed by code.</param>
/// <param name="SampleLabels">Label code of every sample by recording id, or
/// <see cref="SampleLabelValues.Unlabelled"/>; empty without a label column.</param>
internal sealed record CsvReadResult(
    IReadOnlyList<Recording> Recordings,
    IReadOnlyList<RowProblem> Problems,
    IReadOnlyList<string> LabelValues,
    IReadOnlyDictionary<string, int[]> SampleLabels);
