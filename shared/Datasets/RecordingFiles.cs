using System.Globalization;
using SsdEdge.Synthetic;

namespace SsdEdge.Datasets;

/// <summary>
/// Opens a recording source given as <c>FORMAT:PATH</c> (or a bare path whose format is recognised
/// from its name and first lines) and returns its recordings.
/// </summary>
/// <remarks>
/// Parameters follow the path after <c>?</c>. <c>synthetic:SEED</c> takes <c>subjects</c>,
/// <c>rate</c> (Hz) and <c>duration</c> (s); <c>ucr:</c> takes <c>rate</c>, the nominal rate in Hz;
/// <c>physionet-emg:</c> takes <c>rate</c> (Hz); <c>csv:</c> takes the parameters of
/// <see cref="CsvSourceOptions.Parse"/>; <c>opensignals:</c> takes <c>raw=true</c> to keep ADC
/// counts beside converted channels; <c>biovid:</c> takes <c>task</c>, which
/// <see cref="DatasetCatalog.Open"/> reads. <c>fmov:</c> and <c>biosppy:</c> take none. Any other
/// parameter is an error (<see cref="RecordingSource.ThrowIfUnknownParameters"/>).
/// </remarks>
public static class RecordingFiles
{
    /// <summary>Reads every recording of <paramref name="source"/>.</summary>
    /// <param name="source">Such as <c>fmov:DIR</c>, <c>fmov:FILE.tsv.gz</c>, <c>ucr:DIR/NAME</c>,
    /// <c>biovid:DIR</c>, <c>csv:FILE</c>, <c>csv:DIR</c>, <c>opensignals:FILE</c>, <c>biosppy:FILE</c>,
    /// <c>physionet-emg:FILE</c>, <c>synthetic:SEED?subjects=4&amp;rate=512&amp;duration=300</c>.</param>
    /// <param name="options">Strictness for malformed rows.</param>
    /// <exception cref="ArgumentException">The format prefix is unknown or a parameter is invalid.</exception>
    /// <exception cref="DataFormatException">A file cannot be read, or a row is malformed in strict mode.</exception>
    /// <exception cref="FileNotFoundException">The path does not exist.</exception>
    public static ReadResult Read(string source, ReadOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(source);
        var parsed = RecordingSource.Parse(source);
        if (parsed.Format != "synthetic")
        {
            RequireExists(parsed);
        }

        return parsed.Format switch
        {
            "fmov" => FmovReader.Read(parsed.Path, options),
            "ucr" => UcrReader.Read(
                RecordingSource.UcrPrefix(parsed.Path),
                options,
                parsed.Number("rate", UcrReader.DefaultNominalRateHz)),
            "csv" => CsvRecordingReader.Read(parsed, options),
            "opensignals" => OpenSignalsReader.Read(parsed.Path, options, Flag(parsed, "raw", false)),
            "biosppy" => BioSppyReader.Read(parsed.Path, options),
            "physionet-emg" => PhysioNetEmgReader.Read(
                parsed.Path,
                options,
                parsed.Number("rate", PhysioNetEmgReader.SamplingRateHz)),
            "biovid" => BioVidReader.Read(parsed.Path, options),
            "synthetic" => new ReadResult(SyntheticPhysiology.Generate(SyntheticOptionsOf(parsed)), []),
            _ => throw new ArgumentException($"Format '{parsed.Format}' has no reader.", nameof(source)),
        };
    }

    /// <summary>Returns the synthetic generator options a <c>synthetic:SEED?...</c> source names.</summary>
    /// <exception cref="ArgumentException">The seed or a parameter is invalid, or a parameter is
    /// not one of <c>subjects</c>, <c>rate</c> and <c>duration</c>.</exception>
    public static SyntheticOptions SyntheticOptionsOf(RecordingSource source)
    {
        ArgumentNullException.ThrowIfNull(source);
        RecordingSource.ThrowIfUnknownParameters("synthetic", source.Parameters);
        if (!ulong.TryParse(source.Path, NumberStyles.None, CultureInfo.InvariantCulture, out var seed))
        {
            throw new ArgumentException(
                $"Synthetic seed '{source.Path}' is not a non-negative integer; write synthetic:SEED.",
                nameof(source));
        }

        var defaults = new SyntheticOptions();
        var options = new SyntheticOptions
        {
            Seed = seed,
            SubjectCount = (int)source.Number("subjects", defaults.SubjectCount),
            SamplingRateHz = source.Number("rate", defaults.SamplingRateHz),
            DurationSeconds = source.Number("duration", defaults.DurationSeconds),
        };
        try
        {
            options.Validate();
        }
        catch (ArgumentOutOfRangeException error)
        {
            throw new ArgumentException(
                $"Synthetic source parameters are invalid: {error.Message}",
                nameof(source),
                error);
        }

        return options;
    }

    private static void RequireExists(RecordingSource source)
    {
        var path = source.Format == "ucr" ? RecordingSource.UcrPrefix(source.Path) + "_TRAIN.tsv" : source.Path;
        if (!File.Exists(path) && !Directory.Exists(path))
        {
            throw new FileNotFoundException($"Recording source '{path}' was not found.", path);
        }
    }

    private static bool Flag(RecordingSource source, string key, bool fallback)
    {
        if (!source.Parameters.TryGetValue(key, out var text))
        {
            return fallback;
        }

        return bool.TryParse(text, out var value)
            ? value
            : throw new ArgumentException($"Source parameter '{key}={text}' is not true or false.", nameof(source));
    }
}
