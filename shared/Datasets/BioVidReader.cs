using System.Text.RegularExpressions;
using SsdEdge.Signals;

namespace SsdEdge.Datasets;

/// <summary>
/// Reads the BioVid Heat Pain Database, Part A, from its <c>biosignals_filtered</c> folder:
/// <c>&lt;subject&gt;/&lt;subject&gt;-&lt;class&gt;-&lt;index&gt;_bio.csv</c>, tab-separated with the header
/// <c>time gsr ecg emg_trapezius emg_corrugator emg_zygomaticus</c>, time in µs, 512 Hz.
/// </summary>
/// <remarks>
/// Every sample file becomes one <see cref="Recording"/> with the folder name as subject id and the
/// class (<c>BL1</c>, <c>PA1</c> to <c>PA4</c>) as label. Columns are selected by header name, so
/// their order in the file does not matter. <c>gsr</c> becomes channel <c>eda</c> in µS. The
/// <c>time</c> column places the samples, so a gap in it becomes NaN samples (see
/// <see cref="DelimitedTextReader"/>).
/// NOTE: the files do not state the unit of ECG and EMG; those channels carry the unit <c>raw</c>.
/// </remarks>
public static partial class BioVidReader
{
    /// <summary>Sampling rate of the biosignals, in Hz.</summary>
    public const double SamplingRateHz = 512;

    /// <summary>Class labels of Part A, from no pain to the highest heat level.</summary>
    public static readonly IReadOnlyList<string> ClassLabels = ["BL1", "PA1", "PA2", "PA3", "PA4"];

    /// <summary>Column map from BioVid header names to channels.</summary>
    public static readonly IReadOnlyList<ColumnMapping> Columns =
    [
        new("gsr", "eda", ChannelKind.Eda, "uS"),
        new("ecg", "ecg", ChannelKind.Ecg, "raw"),
        new("emg_trapezius", "emg_trapezius", ChannelKind.Emg, "raw"),
        new("emg_corrugator", "emg_corrugator", ChannelKind.Emg, "raw"),
        new("emg_zygomaticus", "emg_zygomaticus", ChannelKind.Emg, "raw"),
    ];

    /// <summary>
    /// Reads every sample file under <paramref name="root"/>, which is the
    /// <c>biosignals_filtered</c> folder or a folder that contains it.
    /// </summary>
    /// <exception cref="DirectoryNotFoundException">The folder does not exist.</exception>
    /// <exception cref="DataFormatException">The folder contains no sample files, or (in strict mode) a
    /// file name does not follow the layout or a file or row is malformed.</exception>
    public static ReadResult Read(string root, ReadOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(root);
        if (!Directory.Exists(root))
        {
            throw new DirectoryNotFoundException($"BioVid folder '{root}' was not found.");
        }

        var signals = Path.Combine(root, "biosignals_filtered");
        var folder = Directory.Exists(signals) ? signals : root;
        var problems = new ProblemLog(options);
        var recordings = new List<Recording>();
        var subjects = Directory.EnumerateDirectories(folder).Order(StringComparer.Ordinal);
        foreach (var subjectFolder in subjects)
        {
            var subject = Path.GetFileName(subjectFolder);
            var files = Directory.EnumerateFiles(subjectFolder, "*_bio.csv").Order(StringComparer.Ordinal);
            foreach (var file in files)
            {
                ReadSample(file, subject, problems, recordings);
            }
        }

        if (recordings.Count == 0)
        {
            throw new DataFormatException(
                folder,
                0,
                "no readable BioVid sample files (<subject>/<subject>-<class>-<index>_bio.csv) were found.");
        }

        return new ReadResult(recordings, problems.ToList());
    }

    private static void ReadSample(string file, string subject, ProblemLog problems, List<Recording> recordings)
    {
        var name = Path.GetFileName(file);
        var match = SampleName().Match(name);
        if (!match.Success)
        {
            problems.Report(
                file,
                0,
                $"file name '{name}' does not follow <subject>-<BL1|PA1..PA4>-<index>_bio.csv; file skipped.");
            return;
        }

        var layout = new DelimitedTextOptions
        {
            Delimiter = '\t',
            HasHeader = true,
            TimeColumn = "time",
            TimeUnitSeconds = 1e-6,
            SamplingRateHz = SamplingRateHz,
            Columns = Columns,
            Markers = [],
            SubjectId = subject,
        };
        var id = match.Groups["sample"].Value;
        var label = match.Groups["class"].Value.ToUpperInvariant();
        FileReads.ReadOrSkip(
            file,
            problems,
            () => DelimitedTextReader.ReadRecording(file, layout, problems, id, label),
            recordings);
    }

    [GeneratedRegex(
        @"^(?<sample>.+-(?<class>BL1|PA[1-4])-\d+)_bio\.csv$",
        RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex SampleName();
}
