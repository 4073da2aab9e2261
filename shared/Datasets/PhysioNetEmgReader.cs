using SsdEdge.Signals;

namespace SsdEdge.Datasets;

/// <summary>
/// Reads the PhysioNet EMG example text: two space-separated columns, time in seconds and EMG in
/// mV, sampled at 4 kHz.
/// </summary>
/// <remarks>
/// The rate is <see cref="SamplingRateHz"/> rather than derived, because the times are printed with
/// four decimals and cannot give the 0.25 ms step exactly. The times still place the samples: a
/// malformed row (the published healthy example has two) is kept as a NaN sample at its time, and
/// a gap of more than 1.5 sample periods is filled with NaN samples.
/// </remarks>
public static class PhysioNetEmgReader
{
    /// <summary>Sampling rate of the PhysioNet EMG examples, in Hz.</summary>
    public const double SamplingRateHz = 4000;

    /// <summary>Reads the recording in <paramref name="path"/>.</summary>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="DataFormatException">The file has no valid rows, or a row is malformed in
    /// strict mode.</exception>
    public static ReadResult Read(string path, ReadOptions? options = null, double samplingRateHz = SamplingRateHz)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(samplingRateHz);
        var problems = new ProblemLog(options);
        var layout = new DelimitedTextOptions
        {
            Delimiter = ' ',
            HasHeader = false,
            TimeColumn = "1",
            SamplingRateHz = samplingRateHz,
            Columns = [new ColumnMapping("2", "emg", ChannelKind.Emg, "mV")],
            Markers = [],
        };
        var recording = DelimitedTextReader.ReadRecording(path, layout, problems);
        return new ReadResult([recording], problems.ToList());
    }
}
