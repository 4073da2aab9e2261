using System.Globalization;

namespace SsdEdge.Datasets;

/// <summary>Column indices of the time, channel and marker columns of one file.</summary>
internal sealed class ColumnLayout
{
    private static readonly string[] MarkerNameParts = ["photosensor", "marker", "trigger", "stim"];

    public ColumnLayout(string path, int headerLine, string[] names, DelimitedTextOptions layout)
    {
        Names = names;
        TimeIndex = layout.TimeColumn is null ? -1 : Resolve(path, headerLine, layout.TimeColumn);
        if (layout.Columns is { } mappings)
        {
            Channels = [.. mappings];
        }
        else
        {
            Channels = [];
            for (var i = 0; i < names.Length; i++)
            {
                if (i != TimeIndex)
                {
                    var (kind, unit) = DelimitedTextReader.GuessKind(names[i]);
                    Channels.Add(new ColumnMapping(names[i], names[i].ToLowerInvariant(), kind, unit));
                }
            }
        }

        if (Channels.Count == 0)
        {
            throw new DataFormatException(path, headerLine, "no channel columns are mapped.");
        }

        ChannelIndices = Channels.Select(mapping => Resolve(path, headerLine, mapping.Column)).ToArray();
        Markers = layout.Markers is { } markers
            ? [.. markers]
            : names.Where(IsMarkerName)
                .Select(name => new MarkerColumn(name, name.ToLowerInvariant()))
                .ToList();
        MarkerIndices = Markers.Select(marker => Resolve(path, headerLine, marker.Column)).ToArray();
    }

    public string[] Names { get; }

    public int TimeIndex { get; }

    public List<ColumnMapping> Channels { get; }

    public int[] ChannelIndices { get; }

    public List<MarkerColumn> Markers { get; }

    public int[] MarkerIndices { get; }

    private static bool IsMarkerName(string name) =>
        MarkerNameParts.Any(part => name.Contains(part, StringComparison.OrdinalIgnoreCase));

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
