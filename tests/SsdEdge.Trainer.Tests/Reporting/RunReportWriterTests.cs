using SsdEdge.Trainer.Reporting;
using Xunit;

namespace SsdEdge.Trainer.Tests.Reporting;

public sealed class RunReportWriterTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("ssdedge-report-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public void Write_TwoFolds_WritesReportAndFigures()
    {
        var files = RunReportWriter.Write(FakeRuns.TwoFolds(), _folder);

        string[] expected =
        [
            "learning-curves.png",
            "learning-curves-fold-1.png",
            "learning-curves-fold-2.png",
            "confusion-matrix.png",
            "confusion-matrix-last-epoch.png",
        ];
        Assert.Equal(Path.Combine(_folder, "report.md"), files.ReportFile);
        Assert.True(File.Exists(files.ReportFile), "report.md missing");
        Assert.Equal(expected.Select(name => Path.Combine(_folder, name)), files.Figures);
        Assert.All(files.Figures, path => Assert.True(PngImage.HasSignature(path), $"{path} is not a PNG"));
        Assert.Empty(files.Warnings);
    }

    [Fact]
    public void Write_TwoFolds_ReportLinksEachFigure()
    {
        var files = RunReportWriter.Write(FakeRuns.TwoFolds(), _folder);
        var report = File.ReadAllText(files.ReportFile);

        foreach (var figure in files.Figures)
        {
            Assert.Contains($"]({Path.GetFileName(figure)})", report, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Write_ManyFolds_OneCurveFigure()
    {
        var files = RunReportWriter.Write(FakeRuns.ManyFolds(24), _folder);

        Assert.Single(
            files.Figures,
            path => Path.GetFileName(path).StartsWith("learning-curves", StringComparison.Ordinal));
    }

    [Fact]
    public void Write_NoValidationSubjects_LastEpochMatrixOnly()
    {
        var run = FakeRuns.TwoFolds();
        run = run with
        {
            Folds = run.Folds.Select(fold => fold with { BestEpoch = null, ValidationSelected = null }).ToArray(),
        };

        var files = RunReportWriter.Write(run, _folder);

        Assert.Contains(Path.Combine(_folder, "confusion-matrix.png"), files.Figures);
        Assert.DoesNotContain(Path.Combine(_folder, "confusion-matrix-last-epoch.png"), files.Figures);
    }

    [Fact]
    public void Write_FoldNamesSameFileName_KeepsBothFigures()
    {
        var run = FakeRuns.TwoFolds();
        run = run with { Folds = [run.Folds[0] with { Name = "a b" }, run.Folds[1] with { Name = "a_b" }] };

        var files = RunReportWriter.Write(run, _folder);

        Assert.Contains(Path.Combine(_folder, "learning-curves-a_b.png"), files.Figures);
        Assert.Contains(Path.Combine(_folder, "learning-curves-a_b-2.png"), files.Figures);
    }

    [Fact]
    public void Write_FiguresOff_WritesOnlyReport()
    {
        var files = RunReportWriter.Write(FakeRuns.TwoFolds(), _folder, new ReportOptions { RenderFigures = false });

        Assert.Empty(files.Figures);
        Assert.Equal(["report.md"], Directory.GetFiles(_folder).Select(Path.GetFileName));
    }

    [Fact]
    public void Write_EmptyHistories_StillWritesEverything()
    {
        var run = FakeRuns.TwoFolds();
        run = run with { Folds = run.Folds.Select(fold => fold with { History = [] }).ToArray() };

        var files = RunReportWriter.Write(run, _folder);

        Assert.Equal(5, files.Figures.Count);
        Assert.Contains("no epoch history was recorded", File.ReadAllText(files.ReportFile), StringComparison.Ordinal);
    }

    [Fact]
    public void Write_MissingDirectory_CreatesIt()
    {
        var directory = Path.Combine(_folder, "runs", "new-run");

        var files = RunReportWriter.Write(FakeRuns.TwoFolds(), directory, new ReportOptions { RenderFigures = false });

        Assert.True(File.Exists(files.ReportFile), "report.md missing");
    }

    [Theory]
    [InlineData("fold-1", "fold-1")]
    [InlineData("S 01/a", "S_01_a")]
    [InlineData("", "fold")]
    public void FileNamePart_Name_SafeForFiles(string name, string expected)
    {
        Assert.Equal(expected, RunReportWriter.FileNamePart(name));
    }
}
