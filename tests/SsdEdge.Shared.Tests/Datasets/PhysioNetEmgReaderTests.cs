using SsdEdge.Datasets;
using Xunit;

namespace SsdEdge.Tests.Datasets;

public sealed class PhysioNetEmgReaderTests
{
    [Fact]
    public void Read_HealthyExample_ReportsTheTwoMalformedRows()
    {
        var path = TestData.PathOf("recordings/physionet_emg_healthy_4000hz.txt");

        var result = PhysioNetEmgReader.Read(path);

        var recording = Assert.Single(result.Recordings);
        Assert.Equal(50858, recording.Length);
        Assert.Equal(4000.0, recording.SamplingRateHz);
        Assert.Equal([639, 41464], result.Problems.Select(p => p.Line));
        Assert.All(result.Problems, p => Assert.Equal(path, p.Path));
    }

    [Fact]
    public void Read_HealthyExampleStrict_RaisesAtFirstMalformedRow()
    {
        var path = TestData.PathOf("recordings/physionet_emg_healthy_4000hz.txt");

        var error = Assert.Throws<DataFormatException>(() => PhysioNetEmgReader.Read(path, new ReadOptions(true)));

        Assert.Equal(639, error.Line);
    }
}
