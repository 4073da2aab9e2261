using System.Globalization;
using SsdEdge.Signals;

namespace SsdEdge.Datasets;

/// <summary>
/// Reads a BioSPPy example text file: <c>#</c> header lines giving <c>Sampling Rate (Hz):=</c>,
/// <c>Resolution:=</c> and <c>Labels:=</c>, then one column of raw ADC counts.
/// </summary>
/// <remarks>
/// The channel is named by the lower-cased label (such as <c>ecg</c> or <c>emg</c>) and stays in
/// ADC counts (unit <c>adc</c>), because the files do not say which device or gain recorded them.
/// </remarks>
public static class BioSppyReader
{
    /// <summary>Reads the recording in <paramref name="path"/>.</summary>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="DataFormatException">The header lacks a sampling rate, the file has no valid
    /// rows, or a row is malformed in strict mode.</exception>
    public static ReadResult Read(string path, ReadOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        var problems = new ProblemLog(options);
        var header = ReadHeader(path);
        if (header.RateHz is not { } rate)
        {
            throw new DataFormatException(
                path,
                0,
                "the header has no valid '# Sampling Rate (Hz):= RATE' line with a positive rate.");
        }

        var label = string.IsNullOrWhiteSpace(header.Label) ? "signal" : header.Label.Trim().ToLowerInvariant();
        var (kind, _) = DelimitedTextReader.GuessKind(label);
        var layout = new DelimitedTextOptions
        {
            Delimiter = ' ',
            HasHeader = false,
            SamplingRateHz = rate,
            Columns = [new ColumnMapping("1", label, kind, "adc")],
            Markers = [],
        };
        var recording = DelimitedTextReader.ReadRecording(path, layout, problems);
        return new ReadResult([recording], problems.ToList());
    }

    private static (double? RateHz, string? Label) ReadHeader(string path)
    {
        using var reader = TextSource.Open(path);
        double? rate = null;
        string? label = null;
        while (reader.ReadLine() is { } line && line.StartsWith('#'))
        {
            var separator = line.IndexOf(":=", StringComparison.Ordinal);
            if (separator < 0)
            {
                continue;
            }

            var key = line[1..separator].Trim();
            var value = line[(separator + 2)..].Trim();
            if (key.StartsWith("Sampling Rate", StringComparison.OrdinalIgnoreCase)
                && double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var parsed)
                && parsed > 0 && double.IsFinite(parsed))
            {
                rate = parsed;
            }
            else if (key.StartsWith("Labels", StringComparison.OrdinalIgnoreCase))
            {
                label = value.Split([',', '\t', ' '], StringSplitOptions.RemoveEmptyEntries).FirstOrDefault();
            }
        }

        return (rate, label);
    }
}
