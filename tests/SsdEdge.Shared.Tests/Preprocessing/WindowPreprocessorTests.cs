using SsdEdge.Dsp;
using SsdEdge.Preprocessing;
using SsdEdge.Tests.Dsp;
using Xunit;

namespace SsdEdge.Tests.Preprocessing;

public class WindowPreprocessorTests
{
    [Fact]
    public void Constructor_TestContract_DerivesWindowLengths()
    {
        var preprocessor = new WindowPreprocessor(TestContracts.ThreeChannel(), TestContracts.RawRateHz);

        Assert.Equal(3, preprocessor.ChannelCount);
        Assert.Equal(550, preprocessor.RawWindowSamples);
        Assert.Equal(2816, preprocessor.ModelWindowSamples);
    }

    [Fact]
    public void Constructor_InputAt1000Hz_Takes5500RawSamples()
    {
        var preprocessor = new WindowPreprocessor(TestContracts.ThreeChannel(), 1000);

        Assert.Equal(5500, preprocessor.RawWindowSamples);
    }

    [Fact]
    public void Constructor_CutoffAtNyquist_Throws()
    {
        var contract = TestContracts.ThreeChannel([new FilterSpec("*", FilterKind.LowPass, 50)]);

        var error = Assert.ThrowsAny<ArgumentException>(
            () => new WindowPreprocessor(contract, TestContracts.RawRateHz));

        Assert.Contains("Filter 0", error.Message, StringComparison.Ordinal);
        Assert.Contains("Cut-off 50 Hz", error.Message, StringComparison.Ordinal);
        Assert.Contains("100 Hz", error.Message, StringComparison.Ordinal);
        Assert.IsType<ArgumentOutOfRangeException>(error.InnerException);
    }

    [Fact]
    public void Constructor_UnknownChannel_ThrowsListingKnownChannels()
    {
        var contract = TestContracts.ThreeChannel([new FilterSpec("ecg", FilterKind.LowPass, 20)]);

        var error = Assert.Throws<ArgumentException>(() => new WindowPreprocessor(contract, TestContracts.RawRateHz));

        Assert.Contains("'ecg'", error.Message, StringComparison.Ordinal);
        Assert.Contains("eda, emg_corrugator, emg_zygomaticus", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Constructor_ChannelNameInOtherCase_IsAccepted()
    {
        var contract = TestContracts.ThreeChannel([new FilterSpec("EDA", FilterKind.LowPass, 5)]);

        var preprocessor = new WindowPreprocessor(contract, TestContracts.RawRateHz);

        Assert.Equal(3, preprocessor.ChannelCount);
    }

    [Theory]
    [InlineData(1649, 3 * 2816)]
    [InlineData(1650, 2816)]
    public void Process_WrongSpanLength_ThrowsWithExpectedLength(int rawLength, int modelLength)
    {
        var preprocessor = new WindowPreprocessor(TestContracts.ThreeChannel(), TestContracts.RawRateHz);

        var error = Assert.Throws<ArgumentException>(
            () => preprocessor.Process(new float[rawLength], new float[modelLength]));

        Assert.Contains("3 channels", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Process_CleanWindow_GivesZScoredFiniteChannels()
    {
        var preprocessor = new WindowPreprocessor(TestContracts.ThreeChannel(), TestContracts.RawRateHz);
        var raw = TestContracts.ChannelMajorWindow(TestContracts.Recording(550, seed: 1), 0, 550);

        var modelInput = preprocessor.Process(raw, out var quality);

        Assert.True(quality.Accepted);
        Assert.All(modelInput, value => Assert.True(float.IsFinite(value)));
        for (var c = 0; c < 3; c++)
        {
            var channel = modelInput.AsSpan(c * 2816, 2816).ToArray();
            var mean = channel.Average(x => (double)x);
            var deviation = Math.Sqrt(channel.Average(x => (x - mean) * (x - mean)));
            Assert.Equal(0.0, mean, 1e-5);
            Assert.Equal(1.0, deviation, 1e-5);
        }
    }

    [Fact]
    public void Process_TwoTones_KeepsLowTone()
    {
        // 1 Hz + 30 Hz through a 5 Hz low-pass (order 2, applied forward and backward) with no
        // normalisation: the model input is the 1 Hz tone times |H(1 Hz)|², sampled at k / 512 s.
        var contract = TestContracts.ThreeChannel(
            [new FilterSpec("*", FilterKind.LowPass, 5, Order: 2)], NormalizationKind.None);
        var preprocessor = new WindowPreprocessor(contract, TestContracts.RawRateHz);
        var low = SineFit.Sine(550, 1, TestContracts.RawRateHz);
        var high = SineFit.Sine(550, 30, TestContracts.RawRateHz);
        var channel = low.Zip(high, (a, b) => a + b).ToArray();
        float[] raw = [.. channel, .. channel, .. channel];

        var modelInput = preprocessor.Process(raw, out var quality);

        var ratio = Math.Tan(Math.PI * 1 / 100) / Math.Tan(Math.PI * 5 / 100);
        var gain = 1 / (1 + Math.Pow(ratio, 4));
        var expected = SineFit.Sine(2816, 1, 512, gain);
        Assert.True(quality.Accepted);

        // Interior only: 0.5 s at each edge carries the edge extension of the 30 Hz tone.
        for (var k = 256; k < 2816 - 256; k++)
        {
            Assert.Equal(expected[k], modelInput[k], 2e-3);
        }
    }

    [Fact]
    public void Process_NonFiniteWindow_ReturnsRejectedReport()
    {
        var preprocessor = new WindowPreprocessor(TestContracts.ThreeChannel(), TestContracts.RawRateHz);
        var raw = TestContracts.ChannelMajorWindow(TestContracts.Recording(550, seed: 2), 0, 550);
        raw[700] = float.NaN;

        var quality = preprocessor.Process(raw, new float[3 * 2816]);

        Assert.False(quality.Accepted);
        Assert.Equal(QualityIssues.NonFinite, quality.Issues);
        Assert.Equal(1, quality.WorstChannel);
    }

    [Fact]
    public void Process_NonFiniteWithinLimit_GivesFiniteOutput()
    {
        var contract = TestContracts.ThreeChannel(quality: new QualityGateOptions { MaxNonFinite = 3 });
        var preprocessor = new WindowPreprocessor(contract, TestContracts.RawRateHz);
        var raw = TestContracts.ChannelMajorWindow(TestContracts.Recording(550, seed: 3), 0, 550);
        raw[0] = float.NaN;
        raw[600] = float.PositiveInfinity;
        raw[1649] = float.NegativeInfinity;

        var modelInput = preprocessor.Process(raw, out var quality);

        Assert.True(quality.Accepted);
        Assert.Equal(3, quality.NonFiniteCount);
        Assert.All(modelInput, value => Assert.True(float.IsFinite(value)));
    }

    [Fact]
    public void Process_OverflowingWindow_IsRejectedNotPassedOn()
    {
        var contract = TestContracts.ThreeChannel(normalization: NormalizationKind.None);
        var preprocessor = new WindowPreprocessor(contract, TestContracts.RawRateHz);
        var raw = TestContracts.ChannelMajorWindow(TestContracts.Recording(550, seed: 4), 0, 550);
        // Finite and not clipped, but the edge extension and the filters exceed the float range.
        for (var t = 0; t < 550; t++)
        {
            raw[t] = (float)(3e38 * Math.Sin((2 * Math.PI * 7 * t / 100) + 1));
        }

        var quality = preprocessor.Process(raw, new float[3 * 2816]);

        Assert.False(quality.Accepted);
        Assert.Equal(QualityIssues.NonFinite, quality.Issues);
    }

    [Fact]
    public void Process_SameWindowTwice_IsBitwiseIdentical()
    {
        var preprocessor = new WindowPreprocessor(TestContracts.ThreeChannel(), TestContracts.RawRateHz);
        var recording = TestContracts.Recording(1000, seed: 5);
        var first = preprocessor.Process(TestContracts.ChannelMajorWindow(recording, 0, 550), out _);
        _ = preprocessor.Process(TestContracts.ChannelMajorWindow(recording, 450, 550), out _);

        var second = preprocessor.Process(TestContracts.ChannelMajorWindow(recording, 0, 550), out _);

        Assert.Equal(first, second);
    }

    [Fact]
    public void Process_FilterOnOneChannel_LeavesOthersUnfiltered()
    {
        var contract = TestContracts.ThreeChannel(
            [new FilterSpec("emg_zygomaticus", FilterKind.LowPass, 5)], NormalizationKind.None);
        var preprocessor = new WindowPreprocessor(contract, TestContracts.RawRateHz);
        var unfiltered = new WindowPreprocessor(
            TestContracts.ThreeChannel([], NormalizationKind.None), TestContracts.RawRateHz);
        var raw = TestContracts.ChannelMajorWindow(TestContracts.Recording(550, seed: 6), 0, 550);

        var output = preprocessor.Process(raw, out _);
        var reference = unfiltered.Process(raw, out _);

        Assert.Equal(reference.AsSpan(0, 2 * 2816).ToArray(), output.AsSpan(0, 2 * 2816).ToArray());
        Assert.NotEqual(reference.AsSpan(2 * 2816).ToArray(), output.AsSpan(2 * 2816).ToArray());
    }

    [Fact]
    public void Process_WithoutFilters_EqualsResampledThenNormalised()
    {
        var contract = TestContracts.ThreeChannel([], NormalizationKind.MinMax);
        var preprocessor = new WindowPreprocessor(contract, TestContracts.RawRateHz);
        var raw = TestContracts.ChannelMajorWindow(TestContracts.Recording(550, seed: 7), 0, 550);

        var output = preprocessor.Process(raw, out _);

        var expected = new RationalResampler(100, 512).Resample(raw[..550]);
        Normalization.Apply(NormalizationKind.MinMax, expected);
        Assert.Equal(expected, output[..2816]);
    }

    [Fact]
    public void Process_SteadyState_AllocatesNothing()
    {
        var preprocessor = new WindowPreprocessor(TestContracts.ThreeChannel(), TestContracts.RawRateHz);
        var raw = TestContracts.ChannelMajorWindow(TestContracts.Recording(550, seed: 8), 0, 550);
        var modelInput = new float[3 * 2816];
        _ = preprocessor.Process(raw, modelInput);

        var before = GC.GetAllocatedBytesForCurrentThread();
        _ = preprocessor.Process(raw, modelInput);
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal(0, allocated);
    }
}
