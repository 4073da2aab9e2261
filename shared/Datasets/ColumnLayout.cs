using System.Globalization;
using SsdEdge.Signals;

namespace SsdEdge.Datasets;

/// <summary>Column indices of the time, label, channel and marker columns of one file.</summary>
internal sealed class ColumnLayout
{
    private static readonly string[] MarkerNameParts = ["photosensor", "marker", "trigger", "stim"];

    public ColumnLayout(string path, int headerLine, string[] names, DelimitedTextOptions layout)
    {
        Names = names;
        TimeIndex = layout.TimeColumn is null ? -1 : Resolve(path, headerLine, layout.TimeColumn);
        LabelIndex = layout.LabelColumn is null ? -1 : Resolve(path, headerLine, layout.LabelColumn);
        if (LabelIndex >= 0 && LabelIndex == TimeIndex)
        {
            throw new DataFormatException(
                path,
                headerLine,
                $"column '{names[LabelIndex]}' cannot be both the time column and the label column.");
        }

        Channels = layout.Columns is { } mappings
            ? [.. mappings]
            : GuessChannels(path, headerLine, layout.ChannelColumns);
        if (Channels.Count == 0)
        {
            throw new DataFormatException(path, headerLine, "no channel columns are mapped.");
        }

        ChannelIndices = Channels.Select(mapping => Resolve(path, headerLine, mapping.Column)).ToArray();
        Markers = layout.Markers is { } markers
            ? [.. markers]
            : names.Where((name, index) => index != LabelIndex && IsMarkerName(name))
                .Select(name => new MarkerColumn(name, name.ToLowerInvariant()))
                .ToList();
        MarkerIndices = Markers.Select(marker => Resolve(path, headerLine, marker.Column)).ToArray();
    }

    public string[] Names { get; }

    public int TimeIndex { get; }

    /// <summary>Index of the per-sample class label column, or -1 when there is none.</summary>
    public int LabelIndex { get; }

    public List<ColumnMapping> Channels { get; }

    public int[] ChannelIndices { get; }

    public List<MarkerColumn> Markers { get; }

    public int[] MarkerIndices { get; }

    private static bool IsMarkerName(string name) =>
        MarkerNameParts.Any(part => name.Contains(part, StringComparison.OrdinalIgnoreCase));

    /// <summary>
    /// Makes every column except the time and label columns a channel, named by
    /// <paramref name="channelColumns"/> where it maps the column and by its lower-cased header
    /// otherwise.
    /// </summary>
    /// <exception cref="DataFormatException">A mapped column is missing, two channels map to one
    /// column, or two columns end up with the same channel name.</exception>
    private List<ColumnMapping> GuessChannels(
        string path,
        int headerLine,
        IReadOnlyDictionary<string, string>? channelColumns)
    {
        var renamed = new Dictionary<int, string>();
        foreach (var (channel, column) in channelColumns ?? new Dictionary<string, string>())
        {
            var index = Resolve(path, headerLine, column);
            if (index == TimeIndex || index == LabelIndex)
            {
                throw new DataFormatException(
                    path,
                    headerLine,
                    $"channel '{channel}' is mapped to column '{Names[index]}', which is the "
                    + $"{(index == TimeIndex ? "time" : "label")} column; map it to a signal column.");
            }

            if (renamed.TryGetValue(index, out var other))
            {
                throw new DataFormatException(
                    path,
                    headerLine,
                    $"channels '{other}' and '{channel}' are both mapped to column '{Names[index]}'; "
                    + "map each channel to its own column.");
            }

            renamed[index] = channel;
        }

        var channels = new List<ColumnMapping>();
        var columnOfChannel = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < Names.Length; i++)
        {
            if (i == TimeIndex || i == LabelIndex)
            {
                continue;
            }

            var name = renamed.TryGetValue(i, out var mapped) ? mapped : Names[i].ToLowerInvariant();
            if (!columnOfChannel.TryAdd(name, i))
            {
                throw new DataFormatException(
                    path,
                    headerLine,
                    $"columns '{Names[columnOfChannel[name]]}' and '{Names[i]}' would both be channel "
                    + $"'{name}'; map one of them to another name with columns=NAME:COLUMN.");
            }

            var (kind, unit) = DelimitedTextReader.GuessKind(name);
            if (kind == ChannelKind.Other)
            {
                (kind, unit) = DelimitedTextReader.GuessKind(Names[i]);
            }

            channels.Add(new ColumnMapping(Names[i], name, kind, unit));
        }

        return channels;
    }

    private int Resolve(string path, int headerLine, string column)
    {
        for (var i = 0; i < Names.Length; i++)
        {
            if (string.Equals(Names[i], column, StringComparison.OrdinalIgnoreCase))
            {
                return i;
            }
        }

        if (int.TryParse(column, NumberStyles.None, CultureInfo.InvariantCulture, out var position)
            && position >= 1 && position <= Names.Length)
        {
            return position - 1;
        }

        throw new DataFormatException(
            path,
            headerLine,
            $"column '{column}' was not found; the file has {Names.Length} columns: "
            + $"{string.Join(", ", Names)}.");
    }
}
