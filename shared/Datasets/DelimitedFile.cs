using SsdEdge.Signals;

namespace SsdEdge.Datasets;

/// <summary>One delimited file as read: its recording, header and per-sample label codes.</summary>
/// <param name="Recording">Channels, samples and events of the file.</param>
/// <param name="ColumnNames">Header names, or 1-based positions as text when the file has no header.</param>
/// <param name="SampleLabels">Code of each sample's label (see <see cref="SampleLabelValues"/>), or
/// null when the layout names no label column.</param>
internal sealed record DelimitedFile(Recording Recording, IReadOnlyList<string> ColumnNames, int[]? SampleLabels);
