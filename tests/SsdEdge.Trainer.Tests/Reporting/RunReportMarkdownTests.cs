using System.Globalization;
using SsdEdge.Trainer.Reporting;
using Xunit;

namespace SsdEdge.Trainer.Tests.Reporting;

public sealed class RunReportMarkdownTests
{
    private static string Format(RunSummary summary) => RunReportMarkdown.Format(summary, [], []);

    [Fact]
    public void Format_TwoFolds_ShowsRunFacts()
    {
        var report = Format(FakeRuns.TwoFolds());

        Assert.Contains("# Run fake-two-folds", report, StringComparison.Ordinal);
        Assert.Contains("| Source | synthetic |", report, StringComparison.Ordinal);
        Assert.Contains("| Created | 2025-03-04 05:06:07 UTC |", report, StringComparison.Ordinal);
        Assert.Contains("| Producer version | 0.1.0 |", report, StringComparison.Ordinal);
        Assert.Contains(
            "| Split plan | 2-fold by subject; 1 validation subject per fold |",
            report,
            StringComparison.Ordinal);
    }

    [Fact]
    public void Format_TwoFolds_RowPerFoldWithBothModels()
    {
        var report = Format(FakeRuns.TwoFolds());

        // fold-1: validation-selected [[4 1] [1 4]]: accuracy 0.8, F1 0.8 each, kappa 0.6;
        // last epoch [[5 0] [3 2]]: accuracy 0.7, F1 10/13 and 4/7, kappa 0.4.
        var lastMacroF1 = (10.0 / 13 + 4.0 / 7) / 2;
        Assert.Contains(
            $"| fold-1 | s01, s02 | 10 | 6 | 0.800 | 0.800 | 0.600 | 0.700 | {lastMacroF1:F3} | 0.400 |",
            report,
            StringComparison.Ordinal);
        Assert.Contains("Validation-selected accuracy", report, StringComparison.Ordinal);
        Assert.Contains("Last-epoch accuracy", report, StringComparison.Ordinal);
    }

    [Fact]
    public void Format_TwoFolds_MeanAndSampleDeviation()
    {
        var report = Format(FakeRuns.TwoFolds());

        // Validation-selected accuracies 0.8 and 0.6: mean 0.7, sample SD sqrt(0.02) = 0.1414.
        // Last-epoch accuracies 0.7 and 0.6: mean 0.65, SD sqrt(0.005) = 0.0707.
        // Validation-selected kappas 0.6 and 0.2: mean 0.4, SD sqrt(0.08) = 0.2828.
        Assert.Contains("| Accuracy | 0.700 ± 0.141 | 0.650 ± 0.071 |", report, StringComparison.Ordinal);
        Assert.Contains("| Cohen's kappa | 0.400 ± 0.283 |", report, StringComparison.Ordinal);
    }

    [Fact]
    public void Format_TwoFolds_PooledConfusionIsSum()
    {
        var report = Format(FakeRuns.TwoFolds());
        var lastStart = report.IndexOf("### Pooled confusion matrix, last epoch", StringComparison.Ordinal);
        var selectedStart = report.IndexOf(
            "### Pooled confusion matrix, validation-selected",
            StringComparison.Ordinal);
        var selected = report[selectedStart..lastStart];
        var last = report[lastStart..];

        // Validation-selected [[4 1] [1 4]] + [[3 2] [2 3]]; last epoch [[5 0] [3 2]] + [[2 3] [1 4]].
        Assert.True(selectedStart >= 0, "validation-selected matrix section missing");
        Assert.True(lastStart > selectedStart, "last-epoch matrix section missing or misplaced");
        Assert.Contains("| no pain | 7 (70.0 %) | 3 (30.0 %) | 10 |", selected, StringComparison.Ordinal);
        Assert.Contains("| pain | 3 (30.0 %) | 7 (70.0 %) | 10 |", selected, StringComparison.Ordinal);
        Assert.Contains("| no pain | 7 (70.0 %) | 3 (30.0 %) | 10 |", last, StringComparison.Ordinal);
        Assert.Contains("| pain | 4 (40.0 %) | 6 (60.0 %) | 10 |", last, StringComparison.Ordinal);
    }

    [Fact]
    public void Format_TwoFolds_PooledMetricsFromSum()
    {
        var report = Format(FakeRuns.TwoFolds());

        // Pooled [[7 3] [3 7]]: accuracy 0.7, kappa 0.4; pooled [[7 3] [4 6]]: accuracy 0.65.
        Assert.Contains("All folds' test windows together (20 windows)", report, StringComparison.Ordinal);
        Assert.Contains("| Accuracy | 0.700 | 0.650 |", report, StringComparison.Ordinal);
        Assert.Contains("| Cohen's kappa | 0.400 | 0.300 |", report, StringComparison.Ordinal);
    }

    [Fact]
    public void Format_TwoFolds_ConfusionHeaderHasLabels()
    {
        var report = Format(FakeRuns.TwoFolds());

        Assert.Contains("| True \\ Predicted | no pain | pain | Total |", report, StringComparison.Ordinal);
        Assert.Contains("| Classes | no pain, pain |", report, StringComparison.Ordinal);
    }

    [Fact]
    public void Format_AnyRun_StatesSelectionRule()
    {
        var report = Format(FakeRuns.TwoFolds());

        Assert.Contains(RunReportMarkdown.SelectionStatement, report, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("test-selected")]
    [InlineData("selected on test")]
    [InlineData("best test")]
    [InlineData("best on test")]
    public void Format_AnyRun_NoTestSelectedWording(string wording)
    {
        var report = Format(FakeRuns.TwoFolds());

        Assert.DoesNotContain(wording, report, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void Format_GermanCulture_UsesDecimalPoint()
    {
        var previous = CultureInfo.CurrentCulture;
        CultureInfo.CurrentCulture = CultureInfo.GetCultureInfo("de-DE");
        try
        {
            var report = Format(FakeRuns.TwoFolds());

            Assert.Contains("0.700 ± 0.141", report, StringComparison.Ordinal);
            Assert.DoesNotContain("0,700", report, StringComparison.Ordinal);
        }
        finally
        {
            CultureInfo.CurrentCulture = previous;
        }
    }

    [Fact]
    public void Format_FoldWithoutValidation_DashesAndNote()
    {
        var run = FakeRuns.TwoFolds();
        run = run with { Folds = [run.Folds[0], run.Folds[1] with { BestEpoch = null, ValidationSelected = null }] };

        var report = Format(run);

        Assert.Contains("| fold-2 | s03 | 10 | — | — | — | — | 0.600 |", report, StringComparison.Ordinal);
        Assert.Contains("| Accuracy | — | 0.650 ± 0.071 |", report, StringComparison.Ordinal);
        Assert.Contains("1 of 2 folds had no validation subjects", report, StringComparison.Ordinal);
        Assert.DoesNotContain("confusion matrix, validation-selected", report, StringComparison.Ordinal);
    }

    [Fact]
    public void Format_SingleFold_MeanWithoutDeviation()
    {
        var run = FakeRuns.TwoFolds();
        run = run with { Folds = [run.Folds[0]] };

        var report = Format(run);

        Assert.Contains("| Accuracy | 0.800 | 0.700 |", report, StringComparison.Ordinal);
        Assert.Contains("standard deviation is undefined", report, StringComparison.Ordinal);
    }

    [Fact]
    public void Format_EmptyHistory_NotesIt()
    {
        var run = FakeRuns.TwoFolds();
        run = run with { Folds = [run.Folds[0] with { History = [] }, run.Folds[1]] };

        var report = Format(run);

        Assert.Contains("Fold fold-1: no epoch history was recorded", report, StringComparison.Ordinal);
    }

    [Fact]
    public void Format_NaNLoss_NotesEpochs()
    {
        var run = FakeRuns.TwoFolds();
        var history = run.Folds[1].History.ToArray();
        history[2] = history[2] with { TrainLoss = double.NaN };
        history[3] = history[3] with { ValidationLoss = double.PositiveInfinity };
        run = run with { Folds = [run.Folds[0], run.Folds[1] with { History = history }] };

        var report = Format(run);

        Assert.Contains("Fold fold-2: epochs 3, 4 have a non-finite loss", report, StringComparison.Ordinal);
        Assert.DoesNotContain("NaN", report, StringComparison.Ordinal);
    }

    [Fact]
    public void Format_PipeInSubject_Escaped()
    {
        var run = FakeRuns.TwoFolds();
        run = run with { Folds = [run.Folds[0] with { TestSubjects = ["a|b"] }, run.Folds[1]] };

        var report = Format(run);

        Assert.Contains("| fold-1 | a\\|b | 10 |", report, StringComparison.Ordinal);
    }

    [Fact]
    public void Format_Figures_LinkedWithCaptions()
    {
        var report = RunReportMarkdown.Format(
            FakeRuns.TwoFolds(),
            [new ReportFigure("learning-curves.png", "Learning curves, 2 folds")],
            ["Figure x.png was not rendered: no fonts."]);

        Assert.Contains("![Learning curves, 2 folds](learning-curves.png)", report, StringComparison.Ordinal);
        Assert.Contains("- Figure x.png was not rendered: no fonts.", report, StringComparison.Ordinal);
    }

    [Fact]
    public void Format_NoFolds_ThrowsNamingRun()
    {
        var run = FakeRuns.TwoFolds() with { Folds = [] };

        var error = Assert.Throws<ArgumentException>(() => Format(run));

        Assert.Contains("fake-two-folds has no folds", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Format_MatrixSizeMismatch_ThrowsNamingFold()
    {
        var run = FakeRuns.TwoFolds();
        var threeClasses = FakeRuns.FromMatrix([[1, 0, 0], [0, 1, 0], [0, 0, 1]]);
        run = run with { Folds = [run.Folds[0], run.Folds[1] with { LastEpoch = threeClasses }] };

        var error = Assert.Throws<ArgumentException>(() => Format(run));

        Assert.Contains("Fold fold-2: the last-epoch confusion matrix", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Number_NotFinite_NoNaNText()
    {
        Assert.Equal("not finite", RunReportMarkdown.Number(double.NaN));
        Assert.Equal("—", RunReportMarkdown.Number(null));
        Assert.Equal("0.123", RunReportMarkdown.Number(0.12345));
    }
}
