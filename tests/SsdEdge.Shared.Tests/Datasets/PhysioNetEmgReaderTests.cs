using SsdEdge.Datasets;
using Xunit;

namespace SsdEdge.Tests.Datasets;

public sealed class PhysioNetEmgReaderTests
{
    [Fact]
    public void Read_HealthyExample_KeepsEveryRowAsASample()
    {
        var path = TestData.PathOf("recordings/physionet_emg_healthy_4000hz.txt");
        var dataLines = File.ReadLines(path).Count(line => line.Trim().Length > 0);

        var result = PhysioNetEmgReader.Read(path);

        var recording = Assert.Single(result.Recordings);
        Assert.Equal(50860, dataLines);
        Assert.Equal(dataLines, recording.Length);
        Assert.Equal(4000.0, recording.SamplingRateHz);
        Assert.Equal([639, 41464], result.Problems.Select(p => p.Line));
        Assert.All(result.Problems, p => Assert.Equal(path, p.Path));
        Assert.All(result.Problems, p => Assert.Contains("kept as NaN", p.Message, StringComparison.Ordinal));
    }

    [Fact]
    public void Read_HealthyExample_NaNExactlyAtTheMalformedLines()
    {
        var path = TestData.PathOf("recordings/physionet_emg_healthy_4000hz.txt");

        var emg = Assert.Single(PhysioNetEmgReader.Read(path).Recordings).Samples[0];

        var nanIndices = Enumerable.Range(0, emg.Length).Where(t => float.IsNaN(emg[t]));
        Assert.Equal([638, 41463], nanIndices);
        Assert.Equal(-0.0383f, emg[637]);
        Assert.Equal(-0.0383f, emg[639]);
    }

    [Fact]
    public void Read_HealthyExample_SampleKeepsTheTimeOfItsRow()
    {
        var path = TestData.PathOf("recordings/physionet_emg_healthy_4000hz.txt");

        var emg = Assert.Single(PhysioNetEmgReader.Read(path).Recordings).Samples[0];

        // Line 41466 contains time 10.3665 s, which is sample 41466 at 4 kHz and row index 41465.
        Assert.Equal("10.3665 0.0517", File.ReadLines(path).ElementAt(41465));
        Assert.Equal(0.0517f, emg[(int)Math.Round(10.3665 * 4000) - 1]);
    }

    [Fact]
    public void Read_HealthyExampleStrict_RaisesAtFirstMalformedRow()
    {
        var path = TestData.PathOf("recordings/physionet_emg_healthy_4000hz.txt");

        var error = Assert.Throws<DataFormatException>(() => PhysioNetEmgReader.Read(path, new ReadOptions(true)));

        Assert.Equal(639, error.Line);
    }
}
