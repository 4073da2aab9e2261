namespace SsdEdge.EdgeAgent.Sources.Serial;

/// <summary>One channel of a serial device and, for the line protocol, where it sits in a line.</summary>
/// <param name="Name">Channel name as the model's signal contract spells it, such as <c>eda</c>.</param>
/// <param name="Field">0-based field index of the channel in a text line; null takes the next field
/// in order, skipping the sequence field. Not used by the binary protocol.</param>
public sealed record SerialChannelOptions(string Name, int? Field = null);
