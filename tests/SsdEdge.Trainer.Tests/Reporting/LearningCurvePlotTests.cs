using SsdEdge.Trainer.Reporting;
using Xunit;

namespace SsdEdge.Trainer.Tests.Reporting;

public sealed class LearningCurvePlotTests : IDisposable
{
    // Anti-aliased lines and text in several colours give hundreds of distinct colours; a blank
    // or single-colour image has a handful.
    private const int MinDistinctColors = 50;

    private readonly string _folder = Directory.CreateTempSubdirectory("ssdedge-curves-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public void Save_TwoFolds_WritesPng()
    {
        var path = Path.Combine(_folder, "curves.png");

        LearningCurvePlot.Save(FakeRuns.TwoFolds().Folds, "Learning curves", path);

        Assert.True(PngImage.HasSignature(path), "PNG signature missing");
        Assert.Equal((LearningCurvePlot.Width, LearningCurvePlot.Height), PngImage.Size(path));
        Assert.InRange(PngImage.DistinctColors(path), MinDistinctColors, int.MaxValue);
    }

    [Fact]
    public void Save_ManyFolds_WritesPng()
    {
        var path = Path.Combine(_folder, "curves.png");

        LearningCurvePlot.Save(FakeRuns.ManyFolds(24).Folds, "Learning curves, 24 folds", path);

        Assert.True(PngImage.HasSignature(path), "PNG signature missing");
        Assert.InRange(PngImage.DistinctColors(path), MinDistinctColors, int.MaxValue);
    }

    [Fact]
    public void Save_EmptyHistory_WritesMessageFigure()
    {
        var path = Path.Combine(_folder, "curves.png");
        var fold = FakeRuns.TwoFolds().Folds[0] with { History = [] };

        LearningCurvePlot.Save([fold], "Learning curves", path);

        // The figure still has axes, titles and the message, so it is not blank.
        Assert.True(PngImage.HasSignature(path), "PNG signature missing");
        Assert.InRange(PngImage.DistinctColors(path), 10, int.MaxValue);
    }

    [Fact]
    public void Save_NaNEpochs_WritesPng()
    {
        var path = Path.Combine(_folder, "curves.png");
        var fold = FakeRuns.TwoFolds().Folds[0];
        var history = fold.History.ToArray();
        history[3] = history[3] with { TrainLoss = double.NaN, ValidationLoss = double.NaN };
        history[4] = history[4] with { TrainAccuracy = double.PositiveInfinity };

        LearningCurvePlot.Save([fold with { History = history }], "Learning curves", path);

        Assert.True(PngImage.HasSignature(path), "PNG signature missing");
        Assert.InRange(PngImage.DistinctColors(path), MinDistinctColors, int.MaxValue);
    }

    [Fact]
    public void Save_AllLossesNaN_WritesPng()
    {
        var path = Path.Combine(_folder, "curves.png");
        var fold = FakeRuns.TwoFolds().Folds[0];
        var history = fold.History.Select(epoch => epoch with { TrainLoss = double.NaN, ValidationLoss = null });

        LearningCurvePlot.Save([fold with { History = history.ToArray() }], "Learning curves", path);

        Assert.True(PngImage.HasSignature(path), "PNG signature missing");
    }

    [Fact]
    public void Save_NoValidation_WritesPng()
    {
        var path = Path.Combine(_folder, "curves.png");
        var fold = FakeRuns.TwoFolds().Folds[0];
        var history = fold.History.Select(epoch => epoch with { ValidationLoss = null, ValidationAccuracy = null });

        LearningCurvePlot.Save([fold with { History = history.ToArray(), BestEpoch = null }], "Curves", path);

        Assert.True(PngImage.HasSignature(path), "PNG signature missing");
        Assert.InRange(PngImage.DistinctColors(path), MinDistinctColors, int.MaxValue);
    }
}
