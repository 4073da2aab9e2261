using SsdEdge.Signals;
using SsdEdge.Synthetic;
using Xunit;

namespace SsdEdge.Tests.Synthetic;

public sealed class PhysiologySimulatorTests
{
    private static readonly SyntheticOptions Options = new() { Seed = 9, SamplingRateHz = 100, DurationSeconds = 60 };

    [Fact]
    public void NextBlock_AnyChunking_MatchesBatchGeneration()
    {
        var batch = SyntheticPhysiology.Generate(Options with { SubjectCount = 1 })[0];
        var simulator = SyntheticPhysiology.CreateSimulator(Options, 0);
        var channels = simulator.Channels.Count;
        var onsets = new List<RecordingEvent>();
        var streamed = new float[batch.Length * channels];
        int[] chunks = [1, 7, 100, 333, 64];
        var offset = 0;
        var next = 0;
        while (offset < batch.Length)
        {
            var count = Math.Min(chunks[next++ % chunks.Length], batch.Length - offset);
            simulator.NextBlock(streamed.AsSpan(offset * channels, count * channels), onsets);
            offset += count;
        }

        for (var c = 0; c < channels; c++)
        {
            var channel = Enumerable.Range(0, batch.Length).Select(t => streamed[t * channels + c]).ToArray();
            Assert.Equal(batch.Samples[c], channel);
        }

        Assert.Equal(batch.Events, onsets);
        Assert.Equal(batch.Length, simulator.SamplesGenerated);
    }

    [Fact]
    public void NextBlock_PartialFrame_Raises()
    {
        var simulator = SyntheticPhysiology.CreateSimulator(Options, 0);

        Assert.Throws<ArgumentException>(() => simulator.NextBlock(new float[7]));
    }

    [Fact]
    public void Constructor_RateTooLow_Raises()
    {
        var profile = SubjectProfile.Draw(1, 0);

        var tooSlow = Options with { SamplingRateHz = 10 };

        Assert.Throws<ArgumentOutOfRangeException>(() => new PhysiologySimulator(profile, tooSlow, 1));
    }
}
