using SsdEdge.Datasets;
using Xunit;

namespace SsdEdge.Tests.Datasets;

public sealed class RecordingFilesTests
{
    [Theory]
    [InlineData("fmov:fmov/subject09_100hz.tsv.gz", 1, 26523, 100.0)]
    [InlineData("csv:recordings/neurokit_bio_eventrelated_100hz.csv?rate=100", 1, 15000, 100.0)]
    [InlineData("opensignals:recordings/plux_eda_hot_surface_1000hz.txt", 1, 37050, 1000.0)]
    [InlineData("biosppy:recordings/biosppy_ecg_1000hz.txt", 1, 15000, 1000.0)]
    [InlineData("physionet-emg:recordings/physionet_emg_healthy_4000hz.txt", 1, 50860, 4000.0)]
    [InlineData("ucr:ucr/ECG200", 200, 96, 1.0)]
    [InlineData("ucr:ucr/ECG200?rate=96", 200, 96, 96.0)]
    [InlineData("opensignals:recordings/plux_eda_hot_surface_1000hz.txt?raw=true", 1, 37050, 1000.0)]
    [InlineData("physionet-emg:recordings/physionet_emg_healthy_4000hz.txt?rate=2000", 1, 50860, 2000.0)]
    public void Read_PrefixedSource_ReadsWithThatFormat(string source, int recordings, int length, double rate)
    {
        var colon = source.IndexOf(':', StringComparison.Ordinal);
        var question = source.IndexOf('?', StringComparison.Ordinal);
        var relative = question < 0 ? source[(colon + 1)..] : source[(colon + 1)..question];
        var root = TestData.PathOf("recordings/..");
        var full = source[..(colon + 1)] + Path.Combine(root, relative) + (question < 0 ? "" : source[question..]);

        var result = RecordingFiles.Read(full);

        Assert.Equal(recordings, result.Recordings.Count);
        Assert.Equal(length, result.Recordings[0].Length);
        Assert.Equal(rate, result.Recordings[0].SamplingRateHz);
    }

    [Theory]
    [InlineData("fmov/subject09_100hz.tsv.gz", "fmov")]
    [InlineData("fmov", "fmov")]
    [InlineData("ucr/ECG200_TRAIN.tsv", "ucr")]
    [InlineData("recordings/neurokit_bio_eventrelated_100hz.csv", "csv")]
    [InlineData("recordings/plux_eda_hot_surface_1000hz.txt", "opensignals")]
    [InlineData("recordings/biosppy_emg_1000hz.txt", "biosppy")]
    [InlineData("recordings/physionet_emg_healthy_4000hz.txt", "physionet-emg")]
    public void Recognize_BarePath_ReturnsFormat(string relative, string format)
    {
        var path = TestData.PathOf(relative);

        Assert.Equal(format, RecordingSource.Recognize(path));
    }

    [Fact]
    public void Read_BareUcrFile_ReadsBothSplits()
    {
        var path = TestData.PathOf("ucr/TwoLeadECG_TRAIN.tsv");

        var result = RecordingFiles.Read(path);

        Assert.Equal(23 + 1139, result.Recordings.Count);
    }

    [Fact]
    public void Read_BioVidFakeTree_ReadsSamples()
    {
        using var folder = new TempFolder();
        BioVidFakeTree.Write(folder, rows: 32);

        var result = RecordingFiles.Read("biovid:" + folder.Path);

        Assert.Equal(20, result.Recordings.Count);
        Assert.Equal("biovid", RecordingSource.Recognize(folder.Path));
    }

    [Fact]
    public void Read_Synthetic_UsesParameters()
    {
        var result = RecordingFiles.Read("synthetic:7?subjects=2&rate=100&duration=30");

        Assert.Equal(2, result.Recordings.Count);
        Assert.Equal(3000, result.Recordings[0].Length);
        Assert.Equal(100.0, result.Recordings[0].SamplingRateHz);
    }

    [Fact]
    public void Read_UnknownFormat_ListsKnownFormats()
    {
        var error = Assert.Throws<ArgumentException>(() => RecordingFiles.Read("edf:/tmp/x.edf"));

        Assert.Contains("'edf'", error.Message, StringComparison.Ordinal);
        Assert.Contains("fmov, ucr, csv", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_MissingPath_RaisesFileNotFoundNamingIt()
    {
        var missing = Path.Combine(Path.GetTempPath(), "ssdedge-missing", "subject01_100hz.tsv.gz");

        var error = Assert.Throws<FileNotFoundException>(() => RecordingFiles.Read("fmov:" + missing));

        Assert.Equal(missing, error.FileName);
        Assert.Contains(missing, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_MissingBarePath_RaisesFileNotFound()
    {
        var missing = Path.Combine(Path.GetTempPath(), "ssdedge-missing.csv");

        Assert.Throws<FileNotFoundException>(() => RecordingFiles.Read(missing));
    }

    [Fact]
    public void Read_TruncatedGzip_RaisesDataFormatException()
    {
        using var folder = new TempFolder();
        var rows = string.Concat(Enumerable.Range(0, 2000).Select(i => $"{i}\t0\t0\t0\t0\t5\t5\t5\t\n"));
        var path = folder.WriteGzip("subject01_100hz.tsv.gz", rows);
        var bytes = File.ReadAllBytes(path);
        File.WriteAllBytes(path, bytes[..(bytes.Length / 2)]);

        var error = Assert.Throws<DataFormatException>(() => RecordingFiles.Read("fmov:" + path));

        Assert.Contains("gzip", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_TinyGzip_RaisesDataFormatException()
    {
        using var folder = new TempFolder();
        var path = Path.Combine(folder.Path, "subject01_100hz.tsv.gz");
        File.WriteAllBytes(path, [0x1f, 0x8b, 8]);

        Assert.Throws<DataFormatException>(() => RecordingFiles.Read(path));
    }

    [Fact]
    public void Read_SyntheticTypo_RejectsBeforeGenerating()
    {
        var error = Assert.Throws<ArgumentException>(
            () => RecordingFiles.Read("synthetic:1?subject=1&duraton=5"));

        Assert.Contains("'subject', 'duraton'", error.Message, StringComparison.Ordinal);
        Assert.Contains("known parameters: subjects, rate, duration.", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_FmovUnknownParameter_Rejects()
    {
        var path = TestData.PathOf("fmov/subject09_100hz.tsv.gz");

        var error = Assert.Throws<ArgumentException>(() => RecordingFiles.Read($"fmov:{path}?bogus=50"));

        Assert.Contains("'bogus'", error.Message, StringComparison.Ordinal);
        Assert.Contains("fmov: takes no parameters", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void SyntheticOptionsOf_UnknownParameter_Rejects()
    {
        var parameters = new Dictionary<string, string> { ["duraton"] = "5" };
        var source = new RecordingSource("synthetic", "1", parameters);

        var error = Assert.Throws<ArgumentException>(() => RecordingFiles.SyntheticOptionsOf(source));

        Assert.Contains("'duraton'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_BadSyntheticSeed_RaisesArgumentException()
    {
        Assert.Throws<ArgumentException>(() => RecordingFiles.Read("synthetic:abc"));
    }
}
