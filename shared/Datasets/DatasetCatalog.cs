using SsdEdge.Preprocessing;
using SsdEdge.Signals;

namespace SsdEdge.Datasets;

/// <summary>Opens a dataset by source string and chooses the defaults for training on it.</summary>
/// <remarks>
/// Windows default to 5.5 s at a model rate of 512 Hz (2816 samples), the PainAttnNet input, so
/// the reference architecture applies unchanged; slower sources such as FMOV (100 Hz) are resampled
/// up by the preprocessing. UCR series are one window each at the nominal UCR rate.
/// </remarks>
public static class DatasetCatalog
{
    /// <summary>Model sampling rate of the PainAttnNet reference configuration, in Hz.</summary>
    public const double DefaultModelRateHz = 512;

    /// <summary>Model window of the PainAttnNet reference configuration: 5.5 s at 512 Hz.</summary>
    public const int DefaultModelWindowSamples = 2816;

    /// <summary>Model window of UCR series, in samples: the shortest PainAttnNet accepts.</summary>
    public const int UcrModelWindowSamples = 1024;

    /// <summary>Reads <paramref name="source"/> and returns it with its training defaults.</summary>
    /// <exception cref="ArgumentException">The format prefix is unknown or a parameter is invalid.</exception>
    /// <exception cref="DataFormatException">A file cannot be read, or a row is malformed in strict mode.</exception>
    /// <exception cref="FileNotFoundException">The path does not exist.</exception>
    public static DatasetDescriptor Open(string source, ReadOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(source);
        var parsed = RecordingSource.Parse(source);
        if (parsed.Format == "csv")
        {
            return DescribeCsv(parsed, options);
        }

        var read = RecordingFiles.Read(source, options);
        var recordings = read.Recordings;
        return parsed.Format switch
        {
            "fmov" => Describe(
                parsed,
                read,
                ["eda", "emg_corrugator", "emg_zygomaticus"],
                FmovPreprocessing(),
                new OnsetResponseTask()),
            "biovid" => Describe(parsed, read, ["eda"], new PreprocessingSpec(), new BioVidTask(BioVidScheme(parsed))),
            "ucr" => DescribeUcr(parsed, read),
            "synthetic" => Describe(
                parsed,
                read,
                ["eda", "ecg", "emg_corrugator", "emg_trapezius"],
                SyntheticPreprocessing(recordings[0].SamplingRateHz),
                new SyntheticStimulusTask()),
            _ => Describe(
                parsed,
                read,
                SignalChannels(recordings),
                new PreprocessingSpec(),
                recordings.Any(recording => recording.Events.Count > 0) ? new OnsetResponseTask() : null),
        };
    }

    private static DatasetDescriptor Describe(
        RecordingSource source,
        ReadResult read,
        IReadOnlyList<string> channels,
        PreprocessingSpec preprocessing,
        IWindowTask? task) =>
        new(
            source,
            read.Recordings,
            read.Problems,
            channels,
            preprocessing,
            DefaultModelRateHz,
            DefaultModelWindowSamples,
            task);

    /// <summary>
    /// Describes a <c>csv:</c> file or folder. Its labels come from <c>labels=</c>; without it,
    /// marker onsets give the task when a file has any, and otherwise the dataset has no task.
    /// </summary>
    private static DatasetDescriptor DescribeCsv(RecordingSource source, ReadOptions? options)
    {
        var csv = CsvSourceOptions.Parse(source);
        var read = CsvRecordingReader.ReadWithLabels(source.Path, csv, options);
        var task = CsvLabelling.CreateTask(read, csv, DefaultModelWindowSamples / DefaultModelRateHz);
        return Describe(
            source,
            new ReadResult(read.Recordings, read.Problems),
            SignalChannels(read.Recordings),
            new PreprocessingSpec(),
            task);
    }

    private static DatasetDescriptor DescribeUcr(RecordingSource source, ReadResult read)
    {
        // UCR gives no sampling rate. Unless the source names one (?rate=HZ), each series is taken
        // as one second long, so the model receives it resampled to UcrModelWindowSamples samples at
        // that many Hz: the shortest window PainAttnNet's MSCN branches accept.
        var recordings = source.Parameters.ContainsKey("rate")
            ? read.Recordings
            : read.Recordings.Select(recording => WithRate(recording, recording.Length)).ToArray();
        var first = recordings[0];
        var modelRateHz = first.SamplingRateHz * UcrModelWindowSamples / first.Length;

        // A 2 s flat-line limit would reject series that are a few samples long.
        var preprocessing = new PreprocessingSpec
        {
            Quality = new QualityGateOptions { MaxFlatLineSeconds = 0 },
        };
        return new DatasetDescriptor(
            source,
            recordings,
            read.Problems,
            [UcrReader.ChannelName],
            preprocessing,
            modelRateHz,
            UcrModelWindowSamples,
            new UcrTask());
    }

    private static Recording WithRate(Recording recording, double rateHz) =>
        new(
            recording.Id,
            recording.SubjectId,
            recording.Channels.Select(channel => channel with { SamplingRateHz = rateHz }).ToArray(),
            recording.Samples,
            recording.Events,
            recording.Label,
            recording.Split);

    // BioVid task from ?task=: bl1-pa4 (default), bl1-any (PA1..PA4 pooled as pain) or five (BL1, PA1..PA4).
    private static BioVidClassScheme BioVidScheme(RecordingSource source)
    {
        var task = source.Parameters.TryGetValue("task", out var value) ? value.ToLowerInvariant() : "bl1-pa4";
        return task switch
        {
            "bl1-pa4" => BioVidClassScheme.BaselineVsPa4,
            "bl1-any" => BioVidClassScheme.BaselineVsAnyPain,
            "five" => BioVidClassScheme.FiveClass,
            _ => throw new ArgumentException(
                $"BioVid task '{value}' is unknown; use task=bl1-pa4, task=bl1-any or task=five."),
        };
    }

    private static PreprocessingSpec FmovPreprocessing() => new()
    {
        // Skin conductance changes over seconds; 5 Hz keeps the phasic response and drops noise.
        Filters = [new FilterSpec("eda", FilterKind.LowPass, 5.0)],
    };

    private static PreprocessingSpec SyntheticPreprocessing(double rateHz)
    {
        // Cut-offs stay below 0.4 of the rate so that slow synthetic rates (down to 50 Hz) still
        // give valid filters.
        var ecgHighHz = Math.Min(40.0, 0.4 * rateHz);
        var emgLowHz = Math.Min(20.0, 0.2 * rateHz);
        return new PreprocessingSpec
        {
            Filters =
            [
                new FilterSpec("eda", FilterKind.LowPass, 5.0),
                new FilterSpec("ecg", FilterKind.BandPass, 0.5, HighCutoffHz: ecgHighHz),
                new FilterSpec("emg_corrugator", FilterKind.HighPass, emgLowHz),
                new FilterSpec("emg_trapezius", FilterKind.HighPass, emgLowHz),
            ],
        };
    }

    private static List<string> SignalChannels(IReadOnlyList<Recording> recordings)
    {
        if (recordings.Count == 0)
        {
            return [];
        }

        return recordings[0].Channels
            .Where(channel => channel.Kind != ChannelKind.Other)
            .Select(channel => channel.Name)
            .ToList();
    }
}
