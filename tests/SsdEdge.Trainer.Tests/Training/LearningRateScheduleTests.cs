using SsdEdge.Trainer.Training;
using Xunit;

namespace SsdEdge.Trainer.Tests.Training;

public sealed class LearningRateScheduleTests
{
    private const double Tolerance = 1e-12;

    [Fact]
    public void LearningRateAt_Constant_ReturnsBaseRateEveryEpoch()
    {
        var rates = Rates(LearningRateSchedule.Constant, epochs: 3, baseRate: 2e-3);

        Assert.Equal([2e-3, 2e-3, 2e-3], rates);
    }

    [Fact]
    public void LearningRateAt_CosineWithoutWarmup_FollowsClosedForm()
    {
        var rates = Rates(LearningRateSchedule.Cosine(), epochs: 4, baseRate: 1);

        double[] expected = [1, (1 + Math.Cos(Math.PI / 4)) / 2, 0.5, (1 + Math.Cos(3 * Math.PI / 4)) / 2];
        for (var i = 0; i < expected.Length; i++)
        {
            Assert.Equal(expected[i], rates[i], Tolerance);
        }
    }

    [Fact]
    public void LearningRateAt_CosineWithWarmup_RampsThenAnnealsToFloor()
    {
        var schedule = LearningRateSchedule.Cosine(minimumLearningRate: 0.1, warmupEpochs: 2);

        var rates = Rates(schedule, epochs: 5, baseRate: 0.3);

        Assert.Equal(0.1, rates[0], Tolerance);
        Assert.Equal(0.2, rates[1], Tolerance);
        Assert.Equal(0.3, rates[2], Tolerance);
        Assert.Equal(0.1 + (0.2 * (1 + Math.Cos(Math.PI / 3)) / 2), rates[3], Tolerance);
        Assert.Equal(0.1 + (0.2 * (1 + Math.Cos(2 * Math.PI / 3)) / 2), rates[4], Tolerance);
    }

    [Fact]
    public void LearningRateAt_StepEveryTwoEpochs_HalvesRate()
    {
        var rates = Rates(LearningRateSchedule.Step(stepEpochs: 2, gamma: 0.5), epochs: 6, baseRate: 1);

        Assert.Equal([1, 1, 0.5, 0.5, 0.25, 0.25], rates);
    }

    [Fact]
    public void LearningRateAt_StepAfterWarmup_CountsFromEndOfWarmup()
    {
        var schedule = LearningRateSchedule.Step(stepEpochs: 1, gamma: 0.5, warmupEpochs: 1);

        var rates = Rates(schedule, epochs: 3, baseRate: 1);

        Assert.Equal([0.5, 1, 0.5], rates);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(4)]
    public void LearningRateAt_EpochOutsideRun_Throws(int epoch)
    {
        Assert.Throws<ArgumentOutOfRangeException>(
            () => LearningRateSchedule.Constant.LearningRateAt(epoch, epochs: 3, baseLearningRate: 1));
    }

    [Fact]
    public void Validate_WarmupCoversWholeRun_ThrowsWithCounts()
    {
        var schedule = LearningRateSchedule.Cosine(warmupEpochs: 3);

        var error = Assert.Throws<ArgumentException>(() => schedule.Validate(epochs: 3, baseLearningRate: 1));

        Assert.Contains("got 3", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_MinimumAboveBaseRate_Throws()
    {
        var schedule = LearningRateSchedule.Cosine(minimumLearningRate: 0.5);

        Assert.Throws<ArgumentException>(() => schedule.Validate(epochs: 3, baseLearningRate: 0.1));
    }

    [Theory]
    [InlineData(0, 0.1)]
    [InlineData(2, 0)]
    [InlineData(2, double.NaN)]
    public void Validate_BadStepSettings_Throws(int stepEpochs, double gamma)
    {
        var schedule = LearningRateSchedule.Step(stepEpochs, gamma);

        Assert.Throws<ArgumentException>(() => schedule.Validate(epochs: 3, baseLearningRate: 0.1));
    }

    [Fact]
    public void Options_CosineWarmupTooLong_RejectedByValidate()
    {
        var options = new TrainingOptions
        {
            Epochs = 2,
            LearningRateSchedule = LearningRateSchedule.Cosine(warmupEpochs: 2),
        };

        Assert.Throws<ArgumentException>(options.Validate);
    }

    [Fact]
    public void ToString_Cosine_NamesFloorAndWarmup()
    {
        var text = LearningRateSchedule.Cosine(minimumLearningRate: 1e-5, warmupEpochs: 2).ToString();

        Assert.Equal("cosine(min 1E-05, warm-up 2)", text);
    }

    private static double[] Rates(LearningRateSchedule schedule, int epochs, double baseRate) =>
        Enumerable.Range(1, epochs)
            .Select(epoch => schedule.LearningRateAt(epoch, epochs, baseRate))
            .ToArray();
}
