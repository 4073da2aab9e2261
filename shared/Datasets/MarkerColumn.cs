namespace SsdEdge.Datasets;

/// <summary>
/// A stimulus-marker column whose crossings of <see cref="Threshold"/> become recording events.
/// </summary>
/// <param name="Column">Header name or 1-based position of the column.</param>
/// <param name="EventLabel">Label given to each event.</param>
/// <param name="Threshold">Level the marker crosses at an onset, in the column's unit; null takes the
/// midpoint between the column's minimum and maximum.</param>
/// <param name="Falling">True when an onset is a fall below the threshold (a marker idling high);
/// false when it is a rise above it.</param>
public sealed record MarkerColumn(
    string Column,
    string EventLabel,
    double? Threshold = null,
    bool Falling = true);
