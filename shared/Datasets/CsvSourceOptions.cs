using System.Text.RegularExpressions;

namespace SsdEdge.Datasets;

/// <summary>
/// Settings of a <c>csv:FILE</c> or <c>csv:DIR</c> source: the layout of each file, how subject
/// ids and class labels are found, and how labelled windows are cut.
/// </summary>
/// <remarks>
/// <see cref="Parse"/> reads them from the source parameters. Regular expressions are matched
/// against the file name with its extensions, such as <c>s01_pain.csv.gz</c>, and may not contain
/// <c>&amp;</c>, which separates parameters.
/// </remarks>
public sealed record CsvSourceOptions
{
    /// <summary>Source parameters that <see cref="Parse"/> accepts.</summary>
    public static readonly IReadOnlyList<string> ParameterNames =
        ["rate", "time", "timeunit", "delimiter", "header", "subject", "columns", "labels", "classes", "hop"];

    private static readonly TimeSpan MatchTimeout = TimeSpan.FromSeconds(1);

    /// <summary>Layout shared by every file; its <see cref="DelimitedTextOptions.SubjectId"/> is a
    /// fixed subject id, allowed only for a single file.</summary>
    public DelimitedTextOptions Layout { get; init; } = new();

    /// <summary>Expression with one capture group that takes the subject id from a file name; null
    /// uses the file name without its extensions.</summary>
    public Regex? SubjectPattern { get; init; }

    /// <summary>Where class labels come from.</summary>
    public CsvLabelSource Labels { get; init; } = CsvLabelSource.Automatic;

    /// <summary>Expression with one capture group that takes the class from a file name, for
    /// <see cref="CsvLabelSource.FileName"/>.</summary>
    public Regex? FileLabelPattern { get; init; }

    /// <summary>Classes in label order for column and file-name labels; null uses every distinct
    /// value found, in ordinal order. Windows of other values are left out and counted.</summary>
    public IReadOnlyList<string>? Classes { get; init; }

    /// <summary>Seconds between the starts of consecutive windows for column and file-name labels;
    /// null uses the window length, so windows do not overlap.</summary>
    public double? HopSeconds { get; init; }

    /// <summary>Reads the options from the parameters of a <c>csv:</c> source.</summary>
    /// <remarks>
    /// Parameters: <c>rate</c> (Hz), <c>time</c> (time column), <c>timeunit</c> (seconds per unit),
    /// <c>delimiter</c> (<c>comma</c>, <c>semicolon</c>, <c>tab</c> or <c>space</c>), <c>header</c>
    /// (<c>true</c> or <c>false</c>), <c>subject</c> (an expression with one capture group, or for a
    /// single file a fixed id), <c>columns</c> (<c>CHANNEL:COLUMN,...</c>), <c>labels</c>
    /// (<c>onsets</c>, <c>column:NAME</c> or <c>file:REGEX</c>), <c>classes</c> (<c>a,b,...</c>) and
    /// <c>hop</c> (seconds).
    /// </remarks>
    /// <exception cref="ArgumentException">A parameter is unknown or invalid.</exception>
    public static CsvSourceOptions Parse(RecordingSource source)
    {
        ArgumentNullException.ThrowIfNull(source);
        var parameters = source.Parameters;
        RecordingSource.ThrowIfUnknownParameters("csv", parameters);

        var isFolder = Directory.Exists(source.Path);
        var (subjectPattern, subjectId) = ParseSubject(parameters.GetValueOrDefault("subject"), isFolder);
        var (labels, labelColumn, filePattern) = ParseLabels(parameters.GetValueOrDefault("labels"));
        var classes = parameters.TryGetValue("classes", out var classText) ? ParseClasses(classText) : null;
        if (classes is not null && labels is not (CsvLabelSource.Column or CsvLabelSource.FileName))
        {
            throw new ArgumentException(
                $"Source parameter 'classes={classText}' needs labels=column:NAME or labels=file:REGEX.",
                nameof(source));
        }

        double? hop = parameters.ContainsKey("hop") ? Positive(source, "hop") : null;
        var layout = new DelimitedTextOptions
        {
            Delimiter = parameters.TryGetValue("delimiter", out var delimiter) ? DelimiterOf(delimiter) : null,
            HasHeader = parameters.ContainsKey("header") ? Flag(source, "header") : null,
            TimeColumn = parameters.GetValueOrDefault("time"),
            TimeUnitSeconds = source.Number("timeunit", 1.0),
            SamplingRateHz = parameters.ContainsKey("rate") ? Positive(source, "rate") : null,
            SubjectId = subjectId,
            ChannelColumns = parameters.TryGetValue("columns", out var columns) ? ParseColumns(columns) : null,
            LabelColumn = labelColumn,
        };
        return new CsvSourceOptions
        {
            Layout = layout,
            SubjectPattern = subjectPattern,
            Labels = labels,
            FileLabelPattern = filePattern,
            Classes = classes,
            HopSeconds = hop,
        };
    }

    /// <summary>Returns the subject id of the recording in <paramref name="path"/>.</summary>
    /// <exception cref="DataFormatException">The file name does not match <see cref="SubjectPattern"/>.</exception>
    public string SubjectOf(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        if (Layout.SubjectId is { } fixedId)
        {
            return fixedId;
        }

        var name = Path.GetFileName(path);
        return SubjectPattern is null
            ? FileReads.StripExtensions(name)
            : Capture(SubjectPattern, path, "subject");
    }

    /// <summary>Returns the class that <see cref="FileLabelPattern"/> takes from the file name, or
    /// null when labels do not come from file names.</summary>
    /// <exception cref="DataFormatException">The file name does not match the pattern.</exception>
    public string? FileLabelOf(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        return FileLabelPattern is null ? null : Capture(FileLabelPattern, path, "labels=file:");
    }

    private static string Capture(Regex pattern, string path, string option)
    {
        var name = Path.GetFileName(path);
        var match = pattern.Match(name);
        if (!match.Success || match.Groups[1].Value.Length == 0)
        {
            throw new DataFormatException(
                path,
                0,
                $"file name '{name}' does not match {option} expression '{pattern}' with a non-empty "
                + "capture group; rename the file, move it out of the folder, or change the expression.");
        }

        return match.Groups[1].Value;
    }

    private static (Regex? Pattern, string? FixedId) ParseSubject(string? text, bool isFolder)
    {
        if (text is null)
        {
            return (null, null);
        }

        if (text.Length == 0)
        {
            throw new ArgumentException("Source parameter 'subject=' is empty; give an expression such as ^(s\\d+)_.");
        }

        Regex? pattern = null;
        try
        {
            pattern = new Regex(text, RegexOptions.CultureInvariant, MatchTimeout);
        }
        catch (ArgumentException) when (!isFolder)
        {
            // Not an expression: for a single file the text is the subject id itself.
        }
        catch (ArgumentException error)
        {
            throw new ArgumentException(
                $"Source parameter 'subject={text}' is not a valid regular expression: {error.Message}",
                error);
        }

        var groups = pattern is null ? 0 : pattern.GetGroupNumbers().Length - 1;
        if (groups == 0 && !isFolder)
        {
            return (null, text);
        }

        if (groups != 1)
        {
            throw new ArgumentException(
                $"Source parameter 'subject={text}' has {groups} capture groups; for a folder it must be "
                + "an expression with exactly one, such as ^(s\\d+)_ (use (?:...) for other grouping).");
        }

        return (pattern, null);
    }

    private static (CsvLabelSource Kind, string? Column, Regex? FilePattern) ParseLabels(string? text)
    {
        if (text is null)
        {
            return (CsvLabelSource.Automatic, null, null);
        }

        if (string.Equals(text, "onsets", StringComparison.OrdinalIgnoreCase))
        {
            return (CsvLabelSource.Onsets, null, null);
        }

        if (text.StartsWith("column:", StringComparison.OrdinalIgnoreCase) && text.Length > "column:".Length)
        {
            return (CsvLabelSource.Column, text["column:".Length..].Trim(), null);
        }

        if (text.StartsWith("file:", StringComparison.OrdinalIgnoreCase) && text.Length > "file:".Length)
        {
            return (CsvLabelSource.FileName, null, ParseFilePattern(text["file:".Length..]));
        }

        throw new ArgumentException(
            $"Source parameter 'labels={text}' is invalid; use labels=onsets, labels=column:NAME "
            + "(a per-sample class column) or labels=file:REGEX (the class from a capture group of the "
            + "file name).");
    }

    private static Regex ParseFilePattern(string text)
    {
        Regex pattern;
        try
        {
            pattern = new Regex(text, RegexOptions.CultureInvariant, MatchTimeout);
        }
        catch (ArgumentException error)
        {
            throw new ArgumentException(
                $"Source parameter 'labels=file:{text}' is not a valid regular expression: {error.Message}",
                error);
        }

        var groups = pattern.GetGroupNumbers().Length - 1;
        if (groups != 1)
        {
            throw new ArgumentException(
                $"Source parameter 'labels=file:{text}' has {groups} capture groups; it needs exactly one, "
                + "such as _(pain|nopain)\\.csv$ (use (?:...) for other grouping).");
        }

        return pattern;
    }

    private static string[] ParseClasses(string text)
    {
        var classes = text.Split(',', StringSplitOptions.TrimEntries);
        if (classes.Length < 2 || classes.Any(name => name.Length == 0))
        {
            throw new ArgumentException(
                $"Source parameter 'classes={text}' must list two or more non-empty class names, "
                + "such as classes=rest,pain.");
        }

        var repeated = classes.GroupBy(name => name, StringComparer.Ordinal).FirstOrDefault(group => group.Count() > 1);
        if (repeated is not null)
        {
            throw new ArgumentException($"Source parameter 'classes={text}' lists '{repeated.Key}' twice.");
        }

        return classes;
    }

    private static Dictionary<string, string> ParseColumns(string text)
    {
        var map = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var pair in text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            var colon = pair.IndexOf(':', StringComparison.Ordinal);
            var channel = colon > 0 ? pair[..colon].Trim() : "";
            var column = colon > 0 ? pair[(colon + 1)..].Trim() : "";
            if (channel.Length == 0 || column.Length == 0)
            {
                throw new ArgumentException(
                    $"Source parameter 'columns={text}': '{pair}' is not CHANNEL:COLUMN; write for example "
                    + "columns=eda:EDA_uS,ecg:ECG_mV.");
            }

            if (!map.TryAdd(channel, column))
            {
                throw new ArgumentException($"Source parameter 'columns={text}' maps channel '{channel}' twice.");
            }
        }

        if (map.Count == 0)
        {
            throw new ArgumentException("Source parameter 'columns=' is empty; write for example columns=eda:EDA_uS.");
        }

        return map;
    }

    private static double Positive(RecordingSource source, string key)
    {
        var value = source.Number(key, 0);
        if (value <= 0)
        {
            throw new ArgumentException(
                $"Source parameter '{key}={source.Parameters[key]}' must be positive.",
                nameof(source));
        }

        return value;
    }

    private static char DelimiterOf(string name) => name.ToLowerInvariant() switch
    {
        "comma" or "," => ',',
        "semicolon" or ";" => ';',
        "tab" or "\\t" => '\t',
        "space" or "whitespace" => ' ',
        _ => throw new ArgumentException(
            $"Delimiter '{name}' is not one of comma, semicolon, tab, space.",
            nameof(name)),
    };

    private static bool Flag(RecordingSource source, string key)
    {
        var text = source.Parameters[key];
        return bool.TryParse(text, out var value)
            ? value
            : throw new ArgumentException($"Source parameter '{key}={text}' is not true or false.", nameof(source));
    }
}
