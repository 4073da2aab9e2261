using SsdEdge.Dsp;
using Xunit;

namespace SsdEdge.Tests.Dsp;

public class RationalResamplerTests
{
    [Theory]
    [InlineData(100.0, 512.0, 128, 25)]
    [InlineData(1000.0, 512.0, 64, 125)]
    [InlineData(512.0, 100.0, 25, 128)]
    [InlineData(44.1, 48.0, 160, 147)]
    [InlineData(256.0, 256.0, 1, 1)]
    public void Constructor_Rates_ReduceByGreatestCommonDivisor(double input, double output, int up, int down)
    {
        var resampler = new RationalResampler(input, output);

        Assert.Equal(up, resampler.Up);
        Assert.Equal(down, resampler.Down);
    }

    [Theory]
    [InlineData(100.0, 512.0, 550, 2816)]
    [InlineData(1000.0, 512.0, 5500, 2816)]
    [InlineData(512.0, 100.0, 2816, 550)]
    [InlineData(100.0, 512.0, 1, 5)]
    [InlineData(100.0, 512.0, 7, 36)]
    [InlineData(1000.0, 512.0, 3, 2)]
    public void Resample_Array_ReturnsRoundedLength(double input, double output, int inputLength, int expected)
    {
        var resampler = new RationalResampler(input, output);

        var result = resampler.Resample(SineFit.Sine(inputLength, 1, input));

        Assert.Equal(expected, resampler.OutputLength(inputLength));
        Assert.Equal(expected, result.Length);
    }

    // Interior (0.5 s from each edge): the anti-aliasing filter's pass-band ripple, measured at
    // 4e-5 or less. Edges: the odd-reflection extension differs from a sine unless the edge sample
    // is a zero crossing. Measured edge errors are 1.4e-4 at 1 Hz and 8e-2 at 8 Hz for 100 Hz
    // input, and 1.6e-3 at 40 Hz for 1000 Hz input. The 8 Hz case ends at 0.95, far from a zero.
    [Theory]
    [InlineData(100.0, 512.0, 550, 1.0, 1e-3)]
    [InlineData(100.0, 512.0, 550, 8.0, 0.1)]
    [InlineData(1000.0, 512.0, 5500, 1.0, 1e-4)]
    [InlineData(1000.0, 512.0, 5500, 40.0, 5e-3)]
    [InlineData(512.0, 100.0, 2816, 3.0, 1e-4)]
    public void Resample_LowFrequencySine_MatchesAnalyticSine(
        double inputRate, double outputRate, int inputLength, double frequencyHz, double edgeTolerance)
    {
        var resampler = new RationalResampler(inputRate, outputRate);

        var output = resampler.Resample(SineFit.Sine(inputLength, frequencyHz, inputRate));

        var expected = SineFit.Sine(output.Length, frequencyHz, outputRate);
        var edge = (int)(0.5 * outputRate);
        var interiorError = 0.0;
        var edgeError = 0.0;
        for (var k = 0; k < output.Length; k++)
        {
            var error = Math.Abs(output[k] - expected[k]);
            if (k < edge || k >= output.Length - edge)
            {
                edgeError = Math.Max(edgeError, error);
            }
            else
            {
                interiorError = Math.Max(interiorError, error);
            }
        }

        Assert.True(interiorError < 1e-4, $"Interior error {interiorError}; expected below 1e-4.");
        Assert.True(edgeError < edgeTolerance, $"Edge error {edgeError}; expected below {edgeTolerance}.");
    }

    [Theory]
    [InlineData(1000.0, 512.0, 300.0)]
    [InlineData(1000.0, 512.0, 420.0)]
    [InlineData(512.0, 100.0, 70.0)]
    public void Resample_ToneAboveNewNyquist_IsAttenuatedBy40Db(double inputRate, double outputRate, double toneHz)
    {
        var resampler = new RationalResampler(inputRate, outputRate);
        var input = SineFit.Sine((int)(10 * inputRate), toneHz, inputRate);

        var output = resampler.Resample(input);

        // Peak over the interior, relative to the input amplitude of 1.
        var edge = (int)outputRate;
        var peak = output.AsSpan(edge, output.Length - (2 * edge)).ToArray().Max(Math.Abs);
        var peakDb = SineFit.Decibels(peak);
        Assert.True(peakDb < -40, $"Aliased tone peak {peakDb:F1} dB; expected below -40 dB.");
    }

    [Fact]
    public void Resample_LinearRamp_IsAlignedToInputTime()
    {
        // Output k sits at input time k * Down / Up; a ramp survives filtering and odd reflection.
        var resampler = new RationalResampler(100, 512);
        var input = Enumerable.Range(0, 550).Select(t => 0.01f * t).ToArray();

        var output = resampler.Resample(input);

        for (var k = 0; k < output.Length; k++)
        {
            Assert.Equal(0.01 * k * 25 / 128, output[k], 1e-4);
        }
    }

    [Fact]
    public void Resample_Constant_StaysConstant()
    {
        var resampler = new RationalResampler(1000, 512);
        var input = Enumerable.Repeat(-7.5f, 5500).ToArray();

        var output = resampler.Resample(input);

        Assert.All(output, value => Assert.Equal(-7.5, value, 1e-5));
    }

    [Fact]
    public void Resample_EqualRates_CopiesInput()
    {
        var resampler = new RationalResampler(100, 100);
        var input = SosFilterTests.NoiseWindow(100, seed: 1);

        var output = resampler.Resample(input);

        Assert.Equal(input, output);
    }

    [Fact]
    public void Resample_LongerOutputThanRounded_UsesEdgeExtension()
    {
        var resampler = new RationalResampler(100, 512);
        var input = Enumerable.Range(0, 550).Select(t => 0.01f * t).ToArray();
        var output = new float[2830];

        resampler.Resample(input, output);

        Assert.Equal(0.01 * 2829 * 25 / 128, output[^1], 1e-4);
    }

    [Fact]
    public void Resample_EmptyInputWithOutput_Throws()
    {
        var resampler = new RationalResampler(100, 512);

        Assert.Throws<ArgumentException>(() => resampler.Resample(ReadOnlySpan<float>.Empty, new float[3]));
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(-100.0)]
    [InlineData(double.PositiveInfinity)]
    public void Constructor_InvalidRate_Throws(double rate)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new RationalResampler(rate, 512));
    }

    [Fact]
    public void Constructor_RatesWithoutSimpleRatio_Throws()
    {
        var error = Assert.Throws<ArgumentException>(() => new RationalResampler(100.0001, 512));

        Assert.Contains("100.0001", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Constructor_FactorAboveLimit_Throws()
    {
        var error = Assert.Throws<ArgumentException>(() => new RationalResampler(4099, 4097));

        Assert.Contains("4097/4099", error.Message, StringComparison.Ordinal);
    }
}
