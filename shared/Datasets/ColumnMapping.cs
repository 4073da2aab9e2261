using SsdEdge.Signals;

namespace SsdEdge.Datasets;

/// <summary>Maps one column of a delimited text file to a recording channel.</summary>
/// <param name="Column">Header name of the column (ordinal, case-insensitive), or its 1-based
/// position such as <c>2</c> when the file has no header.</param>
/// <param name="Channel">Channel name in the recording, such as <c>eda</c>.</param>
/// <param name="Kind">Modality of the channel.</param>
/// <param name="Unit">Unit of the values, such as <c>uS</c> or <c>mV</c>.</param>
/// <param name="Scale">Factor applied to every value, for example to convert volts to mV.</param>
public sealed record ColumnMapping(
    string Column,
    string Channel,
    ChannelKind Kind,
    string Unit,
    double Scale = 1.0);
