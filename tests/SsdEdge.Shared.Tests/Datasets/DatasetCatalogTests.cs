using SsdEdge.Datasets;
using Xunit;

namespace SsdEdge.Tests.Datasets;

public sealed class DatasetCatalogTests
{
    [Fact]
    public void Open_Fmov_DefaultsToEdaAndFacialEnvelopes()
    {
        var descriptor = DatasetCatalog.Open("fmov:" + TestData.PathOf("fmov/subject10_100hz.tsv.gz"));

        Assert.Equal(["eda", "emg_corrugator", "emg_zygomaticus"], descriptor.Channels);
        Assert.IsType<OnsetResponseTask>(descriptor.Task);
        Assert.Equal(2816, descriptor.ModelWindowSamples);
        Assert.Equal(5.5, descriptor.WindowSeconds, 1e-9);
    }

    [Fact]
    public void Open_Ucr_TakesSeriesAsOneSecond()
    {
        var descriptor = DatasetCatalog.Open("ucr:" + Path.Combine(TestData.PathOf("ucr"), "TwoLeadECG"));

        Assert.Equal(["ecg"], descriptor.Channels);
        Assert.Equal(82.0, descriptor.Recordings[0].SamplingRateHz);
        Assert.Equal(DatasetCatalog.UcrModelWindowSamples, descriptor.ModelWindowSamples);
        Assert.Equal(1024.0, descriptor.ModelRateHz);
        Assert.Equal(1.0, descriptor.WindowSeconds);
        Assert.IsType<UcrTask>(descriptor.Task);
    }

    [Fact]
    public void Open_UcrWithRate_KeepsGivenRate()
    {
        var descriptor = DatasetCatalog.Open("ucr:" + Path.Combine(TestData.PathOf("ucr"), "ECG200") + "?rate=96");

        Assert.Equal(96.0, descriptor.Recordings[0].SamplingRateHz);
        Assert.Equal(1024.0, descriptor.ModelRateHz);
    }

    [Fact]
    public void Open_Synthetic_ChannelsExistInRecordings()
    {
        var descriptor = DatasetCatalog.Open("synthetic:5?subjects=1&duration=20&rate=100");

        var recording = Assert.Single(descriptor.Recordings);
        Assert.All(descriptor.Channels, name => Assert.InRange(recording.IndexOfChannel(name), 0, 4));
        Assert.IsType<SyntheticStimulusTask>(descriptor.Task);
        Assert.All(descriptor.Preprocessing.Filters, f => Assert.True((f.HighCutoffHz ?? f.CutoffHz) < 50));
    }

    [Fact]
    public void Open_BioVid_EdaBaselineVsPa4()
    {
        using var folder = new TempFolder();
        BioVidFakeTree.Write(folder, rows: 2816);

        var descriptor = DatasetCatalog.Open("biovid:" + folder.Path);

        Assert.Equal(["eda"], descriptor.Channels);
        var task = Assert.IsType<BioVidTask>(descriptor.Task);
        Assert.Equal(BioVidClassScheme.BaselineVsPa4, task.Scheme);
    }

    [Theory]
    [InlineData("bl1-pa4", BioVidClassScheme.BaselineVsPa4)]
    [InlineData("bl1-any", BioVidClassScheme.BaselineVsAnyPain)]
    [InlineData("FIVE", BioVidClassScheme.FiveClass)]
    public void Open_BioVidTaskParameter_SelectsScheme(string task, BioVidClassScheme expected)
    {
        using var folder = new TempFolder();
        BioVidFakeTree.Write(folder, rows: 2816);

        var descriptor = DatasetCatalog.Open($"biovid:{folder.Path}?task={task}");

        Assert.Equal(expected, Assert.IsType<BioVidTask>(descriptor.Task).Scheme);
    }

    [Fact]
    public void Open_BioVidUnknownTask_ThrowsListingTasks()
    {
        using var folder = new TempFolder();
        BioVidFakeTree.Write(folder, rows: 2816);

        var error = Assert.Throws<ArgumentException>(() => DatasetCatalog.Open($"biovid:{folder.Path}?task=pain"));

        Assert.Contains("task=five", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Open_Csv_UsesSignalChannelsAndOnsetTask()
    {
        var path = TestData.PathOf("recordings/neurokit_bio_eventrelated_100hz.csv");

        var descriptor = DatasetCatalog.Open("csv:" + path + "?rate=100");

        Assert.Equal(["ecg", "eda"], descriptor.Channels);
        Assert.IsType<OnsetResponseTask>(descriptor.Task);
    }
}
