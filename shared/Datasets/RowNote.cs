namespace SsdEdge.Datasets;

/// <summary>A problem found while parsing a row, reported once the row has its place.</summary>
/// <param name="Row">0-based index of the row among the parsed data rows.</param>
/// <param name="Message">What was expected and what was found.</param>
/// <param name="Outcome">What the reader did about it, or null when that depends on where the
/// row is placed (a row without a usable time).</param>
internal readonly record struct RowNote(int Row, string Message, string? Outcome);
