namespace SsdEdge.Trainer.Reporting;

/// <summary>Files that <see cref="RunReportWriter.Write"/> wrote.</summary>
/// <param name="ReportFile">Full path of <c>report.md</c>.</param>
/// <param name="Figures">Full paths of the PNG figures written.</param>
/// <param name="Warnings">Figures that could not be rendered, with the reason; also in the report.</param>
public sealed record RunReportFiles(
    string ReportFile,
    IReadOnlyList<string> Figures,
    IReadOnlyList<string> Warnings);
