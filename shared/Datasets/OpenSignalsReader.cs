using System.Globalization;
using System.Text.Json;
using SsdEdge.Signals;

namespace SsdEdge.Datasets;

/// <summary>
/// Reads a PLUX OpenSignals text export: <c>#</c> header lines, the second of which is a JSON
/// object keyed by device that names the columns, the sampling rate and each column's ADC
/// resolution, then tab-separated rows.
/// </summary>
/// <remarks>
/// Analog channels become recording channels; the sequence number and digital I/O columns are
/// dropped. A channel whose sensor name contains <c>EDA</c> is converted to µS and one containing
/// <c>EMG</c> to mV with <see cref="PluxAdc"/>; other sensors stay in raw ADC counts (unit
/// <c>adc</c>). With <c>keepRaw</c> every converted channel also appears as <c>NAME_raw</c> in counts.
/// NOTE: only the first device of a multi-device export is read.
/// </remarks>
public static class OpenSignalsReader
{
    private static readonly HashSet<string> NonAnalogColumns =
        new(["nSeq", "I1", "I2", "O1", "O2"], StringComparer.OrdinalIgnoreCase);

    /// <summary>Reads the recording in <paramref name="path"/>.</summary>
    /// <param name="path">The text export.</param>
    /// <param name="options">Strictness for malformed rows.</param>
    /// <param name="keepRaw">Whether converted channels are also kept in raw ADC counts.</param>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="DataFormatException">The header is missing or invalid, the file has no
    /// valid rows, or a row is malformed in strict mode.</exception>
    public static ReadResult Read(string path, ReadOptions? options = null, bool keepRaw = false)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        var problems = new ProblemLog(options);
        var header = ReadHeader(path);
        var mappings = new List<ColumnMapping>();
        for (var i = 0; i < header.Columns.Length; i++)
        {
            if (NonAnalogColumns.Contains(header.Columns[i]))
            {
                continue;
            }

            var sensor = header.SensorOf(header.Columns[i]);
            var column = (i + 1).ToString(CultureInfo.InvariantCulture);
            var bits = header.Resolutions[i];
            if (sensor.Contains("EDA", StringComparison.OrdinalIgnoreCase))
            {
                mappings.Add(new ColumnMapping(column, "eda", ChannelKind.Eda, "uS", PluxAdc.EdaMicrosiemens(1, bits)));
                AddRaw(mappings, keepRaw, column, "eda_raw", ChannelKind.Eda);
            }
            else if (sensor.Contains("EMG", StringComparison.OrdinalIgnoreCase))
            {
                // EMG conversion has an offset, so it cannot be a plain scale; keep counts and convert below.
                mappings.Add(new ColumnMapping(column, "emg", ChannelKind.Emg, "adc"));
            }
            else
            {
                var (kind, _) = DelimitedTextReader.GuessKind(sensor);
                mappings.Add(new ColumnMapping(column, header.Columns[i].ToLowerInvariant(), kind, "adc"));
            }
        }

        if (mappings.Count == 0)
        {
            throw new DataFormatException(path, 2, "the header names no analog channel columns.");
        }

        var layout = new DelimitedTextOptions
        {
            Delimiter = '\t',
            HasHeader = false,
            SamplingRateHz = header.SamplingRateHz,
            Columns = mappings,
            Markers = [],
        };
        var recording = DelimitedTextReader.ReadRecording(path, layout, problems);
        recording = ConvertEmg(recording, header, keepRaw);
        return new ReadResult([recording], problems.ToList());
    }

    private static void AddRaw(List<ColumnMapping> mappings, bool keepRaw, string column, string name, ChannelKind kind)
    {
        if (keepRaw)
        {
            mappings.Add(new ColumnMapping(column, name, kind, "adc"));
        }
    }

    private static Recording ConvertEmg(Recording recording, OpenSignalsHeader header, bool keepRaw)
    {
        var emgIndex = recording.Channels.ToList().FindIndex(channel => channel.Name == "emg");
        if (emgIndex < 0)
        {
            return recording;
        }

        var bits = header.EmgResolution;
        var channels = recording.Channels.ToList();
        var samples = recording.Samples.ToList();
        var raw = samples[emgIndex];
        samples[emgIndex] = raw.Select(count => (float)PluxAdc.EmgMillivolts(count, bits)).ToArray();
        channels[emgIndex] = channels[emgIndex] with { Unit = "mV" };
        if (keepRaw)
        {
            channels.Add(new ChannelSpec("emg_raw", ChannelKind.Emg, "adc", recording.SamplingRateHz));
            samples.Add(raw);
        }

        return new Recording(recording.Id, recording.SubjectId, channels, [.. samples], recording.Events);
    }

    private static OpenSignalsHeader ReadHeader(string path)
    {
        using var reader = TextSource.Open(path);
        var first = reader.ReadLine();
        if (first is null || !first.StartsWith('#'))
        {
            throw new DataFormatException(
                path,
                1,
                "expected an OpenSignals '# OpenSignals Text File Format' header line, found "
                + (first is null ? "an empty file." : $"'{DelimitedLines.Shorten(first)}'."));
        }

        var second = reader.ReadLine();
        if (second is null || !second.StartsWith('#'))
        {
            throw new DataFormatException(path, 2, "expected the '# {...}' JSON header line.");
        }

        return OpenSignalsHeader.Parse(path, second.TrimStart('#', ' '));
    }

    private sealed record OpenSignalsHeader(
        string[] Columns,
        int[] Resolutions,
        string[] Labels,
        string[] Sensors,
        double SamplingRateHz)
    {
        public int EmgResolution
        {
            get
            {
                for (var i = 0; i < Columns.Length; i++)
                {
                    if (SensorOf(Columns[i]).Contains("EMG", StringComparison.OrdinalIgnoreCase))
                    {
                        return Resolutions[i];
                    }
                }

                return 10;
            }
        }

        public string SensorOf(string column)
        {
            var index = Array.FindIndex(
                Labels,
                label => string.Equals(label, column, StringComparison.OrdinalIgnoreCase));
            return index >= 0 && index < Sensors.Length ? Sensors[index] : column;
        }

        public static OpenSignalsHeader Parse(string path, string json)
        {
            try
            {
                using var document = JsonDocument.Parse(json);
                var device = document.RootElement.EnumerateObject().First().Value;
                var columns = Strings(device.GetProperty("column"));
                var resolutions = device.GetProperty("resolution").EnumerateArray().Select(e => e.GetInt32()).ToArray();
                var labels = device.TryGetProperty("label", out var label) ? Strings(label) : [];
                var sensors = device.TryGetProperty("sensor", out var sensor) ? Strings(sensor) : [];
                var rate = device.GetProperty("sampling rate").GetDouble();
                if (resolutions.Length != columns.Length)
                {
                    throw new DataFormatException(
                        path,
                        2,
                        $"the header names {columns.Length} columns but {resolutions.Length} resolutions.");
                }

                if (!(rate > 0))
                {
                    throw new DataFormatException(path, 2, $"the header's sampling rate {rate} is not positive.");
                }

                return new OpenSignalsHeader(columns, resolutions, labels, sensors, rate);
            }
            catch (Exception error) when (error is JsonException or KeyNotFoundException
                or InvalidOperationException or FormatException)
            {
                throw new DataFormatException(
                    path,
                    2,
                    "the JSON header is invalid; expected a device object with 'column', 'resolution' "
                    + $"and 'sampling rate': {error.Message}",
                    error);
            }
        }

        private static string[] Strings(JsonElement array) =>
            array.EnumerateArray().Select(e => e.GetString() ?? "").ToArray();
    }
}
