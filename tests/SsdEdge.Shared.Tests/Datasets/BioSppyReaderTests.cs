using SsdEdge.Datasets;
using Xunit;

namespace SsdEdge.Tests.Datasets;

public sealed class BioSppyReaderTests
{
    [Theory]
    [InlineData("recordings/biosppy_ecg_1000hz.txt", "ecg", 15000)]
    [InlineData("recordings/biosppy_emg_1000hz.txt", "emg", 63880)]
    public void Read_Example_HasRowsRateAndLabel(string file, string channel, int rows)
    {
        var path = TestData.PathOf(file);

        var result = BioSppyReader.Read(path);

        var recording = Assert.Single(result.Recordings);
        Assert.Equal(rows, recording.Length);
        Assert.Equal(1000.0, recording.SamplingRateHz);
        Assert.Equal(channel, recording.Channels[0].Name);
        Assert.Equal("adc", recording.Channels[0].Unit);
        Assert.InRange(recording.Samples[0].Max(), 0f, 4095f);
        Assert.Empty(result.Problems);
    }

    [Fact]
    public void Read_HeaderWithoutRate_Raises()
    {
        using var folder = new TempFolder();
        var path = folder.Write("norate.txt", "# Simple Text Format\n# Labels:= ECG\n1\n2\n");

        var error = Assert.Throws<DataFormatException>(() => BioSppyReader.Read(path));

        Assert.Contains("Sampling Rate", error.Message, StringComparison.Ordinal);
    }
}
