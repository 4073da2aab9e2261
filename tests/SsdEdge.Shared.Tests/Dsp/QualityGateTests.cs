using SsdEdge.Dsp;
using SsdEdge.Preprocessing;
using Xunit;

namespace SsdEdge.Tests.Dsp;

public class QualityGateTests
{
    private const double Rate = 100;

    private static readonly QualityGateOptions Options = new()
    {
        MaxNonFinite = 0,
        MaxFlatLineSeconds = 2.0,
        MaxClippingSeconds = 0.5,
        MinStandardDeviation = 0.1,
    };

    [Fact]
    public void Evaluate_CleanNoise_PassesWithFullScore()
    {
        var gate = new QualityGate(Options, Rate);

        var report = gate.Evaluate(CleanWindow(3), 3);

        Assert.Equal(QualityIssues.None, report.Issues);
        Assert.True(report.Accepted);
        Assert.Equal(-1, report.WorstChannel);
        Assert.Equal(0, report.NonFiniteCount);
        Assert.Equal(1.0, report.Score);
    }

    [Theory]
    [InlineData(float.NaN)]
    [InlineData(float.PositiveInfinity)]
    [InlineData(float.NegativeInfinity)]
    public void Evaluate_NonFiniteSample_RejectsAsNonFinite(float value)
    {
        var gate = new QualityGate(Options, Rate);
        var window = CleanWindow(3);
        window[(2 * 550) + 100] = value;

        var report = gate.Evaluate(window, 3);

        Assert.Equal(QualityIssues.NonFinite, report.Issues);
        Assert.Equal(2, report.WorstChannel);
        Assert.Equal(1, report.NonFiniteCount);
        Assert.Equal(0.0, report.Score);
    }

    [Fact]
    public void Evaluate_NonFiniteWithinLimit_Accepts()
    {
        var gate = new QualityGate(Options with { MaxNonFinite = 2 }, Rate);
        var window = CleanWindow(1);
        window[10] = float.NaN;
        window[20] = float.NaN;

        var report = gate.Evaluate(window, 1);

        Assert.True(report.Accepted);
        Assert.Equal(2, report.NonFiniteCount);
    }

    [Fact]
    public void Evaluate_LongFlatRun_RejectsFlatLine()
    {
        var gate = new QualityGate(Options, Rate);
        var window = CleanWindow(2);

        // 2.5 s of a value inside the noise range, so neither clipping nor low variance applies.
        window.AsSpan(550 + 100, 250).Fill(0.05f);

        var report = gate.Evaluate(window, 2);

        Assert.Equal(QualityIssues.FlatLine, report.Issues);
        Assert.Equal(1, report.WorstChannel);
    }

    [Fact]
    public void Evaluate_LongRunAtMaximum_RejectsClipping()
    {
        var gate = new QualityGate(Options, Rate);
        var window = CleanWindow(1);
        var max = window.Max();

        // 1 s at the channel maximum: over the 0.5 s clipping limit, under the 2 s flat-line limit.
        window.AsSpan(200, 100).Fill(max);

        var report = gate.Evaluate(window, 1);

        Assert.Equal(QualityIssues.Clipping, report.Issues);
    }

    [Fact]
    public void Evaluate_LongRunAtMinimum_RejectsClipping()
    {
        var gate = new QualityGate(Options, Rate);
        var window = CleanWindow(1);
        var min = window.Min();
        window.AsSpan(0, 60).Fill(min);

        var report = gate.Evaluate(window, 1);

        Assert.Equal(QualityIssues.Clipping, report.Issues);
    }

    [Fact]
    public void Evaluate_QuietChannel_RejectsAsLowVariance()
    {
        var gate = new QualityGate(Options, Rate);
        var window = CleanWindow(2);
        for (var t = 0; t < 550; t++)
        {
            window[t] *= 0.01f;
        }

        var report = gate.Evaluate(window, 2);

        Assert.Equal(QualityIssues.LowVariance, report.Issues);
        Assert.Equal(0, report.WorstChannel);
    }

    [Fact]
    public void Evaluate_ConstantChannel_ReportsThreeIssues()
    {
        var gate = new QualityGate(Options, Rate);
        var window = Enumerable.Repeat(1f, 550).ToArray();

        var report = gate.Evaluate(window, 1);

        Assert.Equal(QualityIssues.FlatLine | QualityIssues.Clipping | QualityIssues.LowVariance, report.Issues);
    }

    [Fact]
    public void Evaluate_FlatRunAt75Percent_ScoresHalf()
    {
        var gate = new QualityGate(Options with { MaxClippingSeconds = 0 }, Rate);
        var window = CleanWindow(1);

        // 150 samples = 1.5 s of a 2 s limit: score 2 - 2 * 0.75 = 0.5.
        window.AsSpan(100, 150).Fill(0.05f);

        var report = gate.Evaluate(window, 1);

        Assert.True(report.Accepted);
        Assert.Equal(0.5, report.Score, 1e-12);
    }

    [Fact]
    public void Evaluate_DisabledChecks_AcceptConstantChannel()
    {
        var gate = new QualityGate(new QualityGateOptions { MaxFlatLineSeconds = 0 }, Rate);

        var report = gate.Evaluate(Enumerable.Repeat(1f, 550).ToArray(), 1);

        Assert.True(report.Accepted);
    }

    [Fact]
    public void Evaluate_LengthNotMultipleOfChannels_Throws()
    {
        var gate = new QualityGate(Options, Rate);

        Assert.Throws<ArgumentException>(() => gate.Evaluate(new float[10], 3));
    }

    [Fact]
    public void Constructor_NegativeLimit_Throws()
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(
            () => new QualityGate(Options with { MaxFlatLineSeconds = -1 }, Rate));

        Assert.Contains(nameof(QualityGateOptions.MaxFlatLineSeconds), error.Message, StringComparison.Ordinal);
    }

    // Uniform noise in [-1, 1): standard deviation 0.58, no repeated values, extremes held one sample.
    private static float[] CleanWindow(int channels) => SosFilterTests.NoiseWindow(channels * 550, seed: 21);
}
