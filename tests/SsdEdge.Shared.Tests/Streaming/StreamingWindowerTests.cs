using System.Globalization;
using SsdEdge.Contracts;
using SsdEdge.Preprocessing;
using SsdEdge.Signals;
using SsdEdge.Streaming;
using SsdEdge.Tests.Preprocessing;
using Xunit;

namespace SsdEdge.Tests.Streaming;

public class StreamingWindowerTests
{
    private const int Hop = 50;

    [Fact]
    public void Append_AnyChunking_MatchesOfflineBitwise()
    {
        // 60 s of 3 channels at 100 Hz, with one NaN at 30 s so some windows are rejected.
        var recording = TestContracts.Recording(6000, seed: 42);
        recording[1][3000] = float.NaN;
        var frames = TestContracts.Interleave(recording);
        var preprocessor = new WindowPreprocessor(TestContracts.ThreeChannel(), TestContracts.RawRateHz);

        var singleSamples = Collect(preprocessor, frames, chunkFrames: _ => 1);
        var random = new Random(7);
        var randomChunks = Collect(preprocessor, frames, chunkFrames: _ => random.Next(1, 501));
        var oneBlock = Collect(preprocessor, frames, chunkFrames: remaining => remaining);

        var starts = StreamingWindower.WindowStarts(6000, preprocessor.RawWindowSamples, Hop);
        var offline = starts.Select(start =>
        {
            var raw = TestContracts.ChannelMajorWindow(recording, start, preprocessor.RawWindowSamples);
            var modelInput = preprocessor.Process(raw, out var quality);
            return new Window(start + preprocessor.RawWindowSamples, quality, modelInput);
        }).ToList();

        Assert.Equal(110, offline.Count);
        Assert.Contains(offline, window => !window.Quality.Accepted);
        Assert.Contains(offline, window => window.Quality.Accepted);
        AssertSameWindows(offline, singleSamples);
        AssertSameWindows(offline, randomChunks);
        AssertSameWindows(offline, oneBlock);
    }

    [Fact]
    public void Append_RealRecordingInChunks_MatchesOffline()
    {
        // NeuroKit2 example: ECG, EDA and respiration at 100 Hz, 150 s.
        var path = TestData.PathOf("recordings/neurokit_bio_eventrelated_100hz.csv");
        var rows = File.ReadLines(path).Skip(1).Select(line => line.Split(',')).ToList();
        float[][] recording =
        [
            [.. rows.Select(row => float.Parse(row[0], CultureInfo.InvariantCulture))],
            [.. rows.Select(row => float.Parse(row[1], CultureInfo.InvariantCulture))],
            [.. rows.Select(row => float.Parse(row[3], CultureInfo.InvariantCulture))],
        ];
        var contract = TestContracts.ThreeChannel([new FilterSpec("*", FilterKind.LowPass, 20, Order: 4)]) with
        {
            Channels =
            [
                new ContractChannel("ecg", ChannelKind.Ecg, "mV", 100),
                new ContractChannel("eda", ChannelKind.Eda, "uS", 100),
                new ContractChannel("rsp", ChannelKind.Other, "V", 100),
            ],
        };
        var preprocessor = new WindowPreprocessor(contract, TestContracts.RawRateHz);
        var random = new Random(11);

        var streamed = Collect(preprocessor, TestContracts.Interleave(recording), _ => random.Next(1, 300));

        var offline = StreamingWindower.WindowStarts(recording[0].Length, preprocessor.RawWindowSamples, Hop)
            .Select(start =>
            {
                var raw = TestContracts.ChannelMajorWindow(recording, start, preprocessor.RawWindowSamples);
                var modelInput = preprocessor.Process(raw, out var quality);
                return new Window(start + preprocessor.RawWindowSamples, quality, modelInput);
            }).ToList();
        Assert.Equal(290, offline.Count);
        Assert.All(offline, window => Assert.True(window.Quality.Accepted));
        Assert.All(offline, window => Assert.All(window.ModelInput, value => Assert.True(float.IsFinite(value))));
        AssertSameWindows(offline, streamed);
    }

    [Fact]
    public void Append_Recording_EndsWindowsEveryHop()
    {
        var preprocessor = new WindowPreprocessor(TestContracts.ThreeChannel(), TestContracts.RawRateHz);
        var frames = TestContracts.Interleave(TestContracts.Recording(1000, seed: 1));

        var windows = Collect(preprocessor, frames, chunkFrames: _ => 37);

        Assert.Equal([550L, 600, 650, 700, 750, 800, 850, 900, 950, 1000], windows.Select(w => w.EndSample));
    }

    [Fact]
    public void Append_WindowReady_CarriesRawWindowChannelMajor()
    {
        var preprocessor = new WindowPreprocessor(TestContracts.ThreeChannel(), TestContracts.RawRateHz);
        var recording = TestContracts.Recording(600, seed: 2);
        var windower = new StreamingWindower(preprocessor, Hop);
        var rawWindows = new List<float[]>();

        windower.Append(
            TestContracts.Interleave(recording),
            (in WindowReady window) => rawWindows.Add(window.RawWindow.ToArray()));

        Assert.Equal(2, rawWindows.Count);
        Assert.Equal(TestContracts.ChannelMajorWindow(recording, 50, 550), rawWindows[1]);
    }

    [Fact]
    public void Append_PartialFrame_ThrowsNamingChannelCount()
    {
        var preprocessor = new WindowPreprocessor(TestContracts.ThreeChannel(), TestContracts.RawRateHz);
        var windower = new StreamingWindower(preprocessor, Hop);

        var error = Assert.Throws<ArgumentException>(() => windower.Append(new float[4], (in WindowReady _) => { }));

        Assert.Contains("3 channels", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Reset_AfterSamples_StartsCountingAgain()
    {
        var preprocessor = new WindowPreprocessor(TestContracts.ThreeChannel(), TestContracts.RawRateHz);
        var frames = TestContracts.Interleave(TestContracts.Recording(600, seed: 3));
        var windower = new StreamingWindower(preprocessor, Hop);
        var ends = new List<long>();
        windower.Append(frames.AsSpan(0, 3 * 500), (in WindowReady window) => ends.Add(window.EndSample));

        windower.Reset();
        windower.Append(frames, (in WindowReady window) => ends.Add(window.EndSample));

        Assert.Equal([550L, 600], ends);
        Assert.Equal(600, windower.SamplesReceived);
    }

    [Fact]
    public void Append_SteadyState_AllocatesNothing()
    {
        var preprocessor = new WindowPreprocessor(TestContracts.ThreeChannel(), TestContracts.RawRateHz);
        var frames = TestContracts.Interleave(TestContracts.Recording(2000, seed: 4));
        var windower = new StreamingWindower(preprocessor, Hop);
        var windowCount = 0;
        WindowHandler onWindow = (in WindowReady _) => windowCount++;
        windower.Append(frames.AsSpan(0, 3 * 1000), onWindow);

        var before = GC.GetAllocatedBytesForCurrentThread();
        windower.Append(frames.AsSpan(3 * 1000), onWindow);
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal(30, windowCount);
        Assert.Equal(0, allocated);
    }

    [Theory]
    [InlineData(549L, 0)]
    [InlineData(550L, 1)]
    [InlineData(6000L, 110)]
    public void WindowStarts_RecordingLength_CountsWholeWindows(long totalSamples, int expectedCount)
    {
        var starts = StreamingWindower.WindowStarts(totalSamples, 550, Hop);

        Assert.Equal(expectedCount, starts.Length);
        Assert.All(starts, start => Assert.True(start + 550 <= totalSamples));
    }

    [Fact]
    public void Constructor_NonPositiveHop_Throws()
    {
        var preprocessor = new WindowPreprocessor(TestContracts.ThreeChannel(), TestContracts.RawRateHz);

        Assert.Throws<ArgumentOutOfRangeException>(() => new StreamingWindower(preprocessor, 0));
    }

    private static List<Window> Collect(WindowPreprocessor preprocessor, float[] frames, Func<int, int> chunkFrames)
    {
        var windower = new StreamingWindower(preprocessor, Hop);
        var windows = new List<Window>();
        var channels = preprocessor.ChannelCount;
        var position = 0;
        while (position < frames.Length)
        {
            var remainingFrames = (frames.Length - position) / channels;
            var count = Math.Min(chunkFrames(remainingFrames), remainingFrames) * channels;
            windower.Append(
                frames.AsSpan(position, count),
                (in WindowReady window) => windows.Add(
                    new Window(window.EndSample, window.Quality, window.ModelInput.ToArray())));
            position += count;
        }

        return windows;
    }

    private static void AssertSameWindows(List<Window> expected, List<Window> actual)
    {
        Assert.Equal(expected.Count, actual.Count);
        for (var i = 0; i < expected.Count; i++)
        {
            Assert.Equal(expected[i].EndSample, actual[i].EndSample);
            Assert.Equal(expected[i].Quality, actual[i].Quality);
            if (expected[i].Quality.Accepted)
            {
                // Bitwise: compare the raw bits so that even -0 and +0 would differ.
                var expectedBits = expected[i].ModelInput.Select(BitConverter.SingleToInt32Bits).ToArray();
                var actualBits = actual[i].ModelInput.Select(BitConverter.SingleToInt32Bits).ToArray();
                Assert.Equal(expectedBits, actualBits);
            }
        }
    }

    private sealed record Window(long EndSample, QualityReport Quality, float[] ModelInput);
}
