namespace SsdEdge.Trainer.Reporting;

/// <summary>Settings of <see cref="RunReportWriter"/>.</summary>
public sealed record ReportOptions
{
    /// <summary>Whether PNG figures are rendered; <c>report.md</c> is written either way.</summary>
    public bool RenderFigures { get; init; } = true;

    /// <summary>
    /// Largest fold count for which each fold also gets its own learning-curve figure. The
    /// figure of all folds together is always written.
    /// </summary>
    public int MaxPerFoldFigures { get; init; } = 10;
}
