using SsdEdge.Trainer.Runs;
using Xunit;

namespace SsdEdge.Trainer.Tests.Runs;

public sealed class FoldPlanTests
{
    [Theory]
    [InlineData("holdout", FoldPlanKind.Holdout, 0)]
    [InlineData("LOSO", FoldPlanKind.LeaveOneSubjectOut, 0)]
    [InlineData("kfold:5", FoldPlanKind.KFold, 5)]
    [InlineData(" split ", FoldPlanKind.DatasetSplit, 0)]
    public void Parse_KnownPlan_ReturnsKindAndFolds(string text, FoldPlanKind kind, int folds)
    {
        var plan = FoldPlan.Parse(text);

        Assert.Equal(kind, plan.Kind);
        Assert.Equal(folds, plan.Folds);
    }

    [Theory]
    [InlineData("kfold:1")]
    [InlineData("kfold:x")]
    [InlineData("kfold:")]
    [InlineData("random")]
    public void Parse_InvalidPlan_ThrowsNamingIt(string text)
    {
        var error = Assert.Throws<ArgumentException>(() => FoldPlan.Parse(text));

        Assert.Contains(text, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ToString_KFold_RoundTrips()
    {
        Assert.Equal("kfold:3", FoldPlan.Parse("kfold:3").ToString());
    }
}
