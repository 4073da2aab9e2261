using SsdEdge.Datasets;
using Xunit;

namespace SsdEdge.Tests.Datasets;

public sealed class OpenSignalsReaderTests
{
    [Fact]
    public void Read_PluxExport_HasRowsRateAndEdaInMicrosiemens()
    {
        var path = TestData.PathOf("recordings/plux_eda_hot_surface_1000hz.txt");

        var result = OpenSignalsReader.Read(path);

        var recording = Assert.Single(result.Recordings);
        Assert.Equal(37050, recording.Length);
        Assert.Equal(1000.0, recording.SamplingRateHz);
        Assert.Equal(["eda"], recording.Channels.Select(c => c.Name));
        Assert.Equal("uS", recording.Channels[0].Unit);

        // The first row contains 461 counts of a 10-bit ADC: 461 / 1024 * 3.3 / 0.132 µS.
        Assert.Equal(461.0 / 1024 * 3.3 / 0.132, recording.Samples[0][0], 1e-4);
        Assert.Empty(result.Problems);
    }

    [Fact]
    public void Read_KeepRaw_AddsCountsChannel()
    {
        var path = TestData.PathOf("recordings/plux_eda_hot_surface_1000hz.txt");

        var recording = Assert.Single(OpenSignalsReader.Read(path, keepRaw: true).Recordings);

        Assert.Equal(["eda", "eda_raw"], recording.Channels.Select(c => c.Name));
        Assert.Equal(461f, recording.Samples[1][0]);
    }

    [Fact]
    public void Read_InvalidJsonHeader_RaisesAtLineTwo()
    {
        using var folder = new TempFolder();
        var path = folder.Write("bad.txt", "# OpenSignals Text File Format\n# {not json\n# EndOfHeader\n1\t2\n");

        var error = Assert.Throws<DataFormatException>(() => OpenSignalsReader.Read(path));

        Assert.Equal(2, error.Line);
    }
}
