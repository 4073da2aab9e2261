namespace SsdEdge.Trainer.Reporting;

/// <summary>A figure written next to the report.</summary>
/// <param name="FileName">File name relative to the report's directory.</param>
/// <param name="Caption">One-line caption used as the image's alt text.</param>
public sealed record ReportFigure(string FileName, string Caption);
