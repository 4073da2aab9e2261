using System.Globalization;

namespace SsdEdge.Datasets;

/// <summary>
/// A recording source string split into its format, path and parameters:
/// <c>FORMAT:PATH[?key=value&amp;...]</c>, or a bare path whose format is recognised.
/// </summary>
/// <param name="Format">Format name, one of <see cref="KnownFormats"/>.</param>
/// <param name="Path">File, folder, UCR set prefix, or the seed of a synthetic source.</param>
/// <param name="Parameters">Parameters after <c>?</c>, keys lower-case.</param>
public sealed record RecordingSource(string Format, string Path, IReadOnlyDictionary<string, string> Parameters)
{
    /// <summary>Format names that <see cref="Parse"/> accepts.</summary>
    public static readonly IReadOnlyList<string> KnownFormats =
        ["fmov", "ucr", "csv", "opensignals", "biosppy", "physionet-emg", "biovid", "synthetic"];

    // Parameters each format reads; every format of KnownFormats has an entry.
    private static readonly Dictionary<string, IReadOnlyList<string>> ParameterNamesByFormat =
        new(StringComparer.Ordinal)
        {
            ["fmov"] = [],
            ["ucr"] = ["rate"],
            ["csv"] = CsvSourceOptions.ParameterNames,
            ["opensignals"] = ["raw"],
            ["biosppy"] = [],
            ["physionet-emg"] = ["rate"],
            ["biovid"] = ["task"],
            ["synthetic"] = ["subjects", "rate", "duration"],
        };

    /// <summary>Splits <paramref name="source"/>; a bare path is recognised by <see cref="Recognize"/>.</summary>
    /// <exception cref="ArgumentException">The format prefix is unknown, or a parameter is malformed
    /// or not one that the format reads (see <see cref="ParameterNamesOf"/>).</exception>
    /// <exception cref="FileNotFoundException">A bare path does not exist.</exception>
    /// <exception cref="DataFormatException">A bare path's format cannot be recognised.</exception>
    public static RecordingSource Parse(string source)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(source);
        var (body, parameters) = SplitParameters(source);
        var colon = body.IndexOf(':', StringComparison.Ordinal);

        // A one-letter prefix is a Windows drive, not a format.
        if (colon > 1)
        {
            var format = body[..colon].ToLowerInvariant();
            if (!KnownFormats.Contains(format))
            {
                throw new ArgumentException(
                    $"Unknown recording format '{format}' in '{source}'; known formats: "
                    + $"{string.Join(", ", KnownFormats)}.",
                    nameof(source));
            }

            ThrowIfUnknownParameters(format, parameters);
            return new RecordingSource(format, body[(colon + 1)..], parameters);
        }

        var recognized = Recognize(body);
        ThrowIfUnknownParameters(recognized, parameters);
        return new RecordingSource(recognized, body, parameters);
    }

    /// <summary>Returns the parameter names that sources of <paramref name="format"/> read.</summary>
    /// <exception cref="ArgumentException">The format is not one of <see cref="KnownFormats"/>.</exception>
    public static IReadOnlyList<string> ParameterNamesOf(string format)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(format);
        return ParameterNamesByFormat.TryGetValue(format, out var names)
            ? names
            : throw new ArgumentException(
                $"Unknown recording format '{format}'; known formats: {string.Join(", ", KnownFormats)}.",
                nameof(format));
    }

    /// <summary>
    /// Throws when <paramref name="parameters"/> contains a key that sources of
    /// <paramref name="format"/> do not read, so that a misspelt key such as <c>duraton</c> is an
    /// error instead of a silently used default.
    /// </summary>
    /// <exception cref="ArgumentException">A key is unknown for the format, or the format is unknown.</exception>
    public static void ThrowIfUnknownParameters(string format, IReadOnlyDictionary<string, string> parameters)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        var known = ParameterNamesOf(format);
        var unknown = parameters.Keys
            .Where(key => !known.Contains(key, StringComparer.OrdinalIgnoreCase))
            .ToArray();
        if (unknown.Length == 0)
        {
            return;
        }

        var names = string.Join(", ", unknown.Select(key => $"'{key}'"));
        var subject = unknown.Length == 1 ? $"Source parameter {names} is" : $"Source parameters {names} are";
        var accepted = known.Count == 0
            ? $"{format}: takes no parameters."
            : $"known parameters: {string.Join(", ", known)}.";
        throw new ArgumentException($"{subject} not known for {format}:; {accepted}", nameof(parameters));
    }

    /// <summary>Returns a parameter as a number, or <paramref name="fallback"/> when absent.</summary>
    /// <exception cref="ArgumentException">The parameter is not a finite number.</exception>
    public double Number(string key, double fallback)
    {
        if (!Parameters.TryGetValue(key, out var text))
        {
            return fallback;
        }

        if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value)
            && double.IsFinite(value))
        {
            return value;
        }

        throw new ArgumentException($"Source parameter '{key}={text}' is not a number.", nameof(key));
    }

    /// <summary>Returns the format of a bare path from its name, layout and first line.</summary>
    /// <exception cref="FileNotFoundException">The path does not exist.</exception>
    /// <exception cref="DataFormatException">The format cannot be recognised.</exception>
    public static string Recognize(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        if (Directory.Exists(path))
        {
            return RecognizeFolder(path);
        }

        var name = System.IO.Path.GetFileName(path);
        if (!File.Exists(path))
        {
            if (File.Exists(path + "_TRAIN.tsv"))
            {
                return "ucr";
            }

            throw new FileNotFoundException($"Recording source '{path}' was not found.", path);
        }

        if (name.EndsWith(".tsv.gz", StringComparison.OrdinalIgnoreCase))
        {
            return "fmov";
        }

        if (name.EndsWith("_TRAIN.tsv", StringComparison.OrdinalIgnoreCase)
            || name.EndsWith("_TEST.tsv", StringComparison.OrdinalIgnoreCase))
        {
            return "ucr";
        }

        if (name.EndsWith(".txt", StringComparison.OrdinalIgnoreCase))
        {
            return RecognizeText(path);
        }

        if (name.EndsWith(".csv", StringComparison.OrdinalIgnoreCase)
            || name.EndsWith(".tsv", StringComparison.OrdinalIgnoreCase))
        {
            return "csv";
        }

        throw Unrecognised(path);
    }

    /// <summary>Returns the UCR set prefix of a path given with or without its split suffix.</summary>
    public static string UcrPrefix(string path)
    {
        foreach (var suffix in new[] { "_TRAIN.tsv", "_TEST.tsv" })
        {
            if (path.EndsWith(suffix, StringComparison.OrdinalIgnoreCase))
            {
                return path[..^suffix.Length];
            }
        }

        return path;
    }

    private static string RecognizeFolder(string path)
    {
        if (Directory.Exists(System.IO.Path.Combine(path, "biosignals_filtered"))
            || Directory.EnumerateDirectories(path)
                .Any(folder => Directory.EnumerateFiles(folder, "*_bio.csv").Any()))
        {
            return "biovid";
        }

        if (Directory.EnumerateFiles(path, "*.tsv.gz").Any())
        {
            return "fmov";
        }

        if (Directory.EnumerateFiles(path, "*.csv").Any() || Directory.EnumerateFiles(path, "*.csv.gz").Any())
        {
            return "csv";
        }

        throw Unrecognised(path);
    }

    private static string RecognizeText(string path)
    {
        using var reader = TextSource.Open(path);
        var first = reader.ReadLine() ?? "";
        if (first.StartsWith("# OpenSignals", StringComparison.OrdinalIgnoreCase))
        {
            return "opensignals";
        }

        if (first.StartsWith('#'))
        {
            return "biosppy";
        }

        var fields = DelimitedLines.Split(first, null);
        return fields.Length == 2 ? "physionet-emg" : "csv";
    }

    private static DataFormatException Unrecognised(string path) =>
        new(
            path,
            0,
            "the format cannot be recognised from the name or content; prefix the path with one of "
            + $"{string.Join(", ", KnownFormats.Select(format => format + ":"))}.");

    private static (string Body, Dictionary<string, string> Parameters) SplitParameters(string source)
    {
        var parameters = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        var question = source.IndexOf('?', StringComparison.Ordinal);
        if (question < 0)
        {
            return (source, parameters);
        }

        foreach (var pair in source[(question + 1)..].Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var equals = pair.IndexOf('=', StringComparison.Ordinal);
            if (equals <= 0)
            {
                throw new ArgumentException(
                    $"Source parameter '{pair}' in '{source}' is not of the form key=value.",
                    nameof(source));
            }

            parameters[pair[..equals].Trim().ToLowerInvariant()] = pair[(equals + 1)..].Trim();
        }

        return (source[..question], parameters);
    }
}
