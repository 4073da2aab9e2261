using SsdEdge.Trainer.Cli;
using SsdEdge.Trainer.Distillation;
using Xunit;

namespace SsdEdge.Trainer.Tests.Distillation;

public sealed class DistillationOptionsTests
{
    [Fact]
    public void Defaults_MatchReferenceSettings()
    {
        var options = new DistillationOptions();

        Assert.Equal(30, options.Passes);
        Assert.Equal("encoder", options.StochasticLayers.Specification);
        Assert.Equal(5, options.Temperature);
        Assert.Equal(90, options.Percentile);
        Assert.Equal(0.5, options.CrossEntropyWeight);
        Assert.Equal(0.5, options.DistillationWeight);
        Assert.False(options.DetachWeights);
        Assert.Equal(StudentInitialization.Teacher, options.StudentInitialization);
    }

    [Theory]
    [InlineData(1.0, "--dropout-rate 1")]
    [InlineData(-0.1, "--dropout-rate -0.1")]
    public void Validate_RateOutsideRange_Throws(double rate, string expected)
    {
        var options = new DistillationOptions { DropoutRate = rate };

        var error = Assert.Throws<ArgumentException>(options.Validate);

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_AllWeightsZero_Throws()
    {
        var options = new DistillationOptions { CrossEntropyWeight = 0, DistillationWeight = 0 };

        var error = Assert.Throws<ArgumentException>(options.Validate);

        Assert.Contains("all 0", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("teacher", StudentInitialization.Teacher)]
    [InlineData(" Fresh ", StudentInitialization.Fresh)]
    public void ParseInitialization_KnownNames_Parse(string text, StudentInitialization expected)
    {
        Assert.Equal(expected, DistillCommand.ParseInitialization(text));
    }

    [Fact]
    public void ParseInitialization_UnknownName_Throws()
    {
        var error = Assert.Throws<ArgumentException>(() => DistillCommand.ParseInitialization("random"));

        Assert.Contains("--student-init 'random'", error.Message, StringComparison.Ordinal);
    }
}
