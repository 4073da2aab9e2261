using SsdEdge.Datasets;
using Xunit;

namespace SsdEdge.Tests.Datasets;

public sealed class BioVidReaderTests
{
    [Fact]
    public void Read_FakeTree_ReturnsOneRecordingPerSampleWithClassAndSubject()
    {
        using var folder = new TempFolder();
        var root = BioVidFakeTree.Write(folder, rows: 64);

        var result = BioVidReader.Read(root);

        Assert.Equal(20, result.Recordings.Count);
        Assert.Empty(result.Problems);
        var first = result.Recordings[0];
        Assert.Equal("071309_w_21", first.SubjectId);
        Assert.Equal("071309_w_21-BL1-001", first.Id);
        Assert.Equal("BL1", first.Label);
        Assert.Equal(512.0, first.SamplingRateHz);
        Assert.Equal(64, first.Length);
        Assert.Equal(4, result.Recordings.Count(r => r.Label == "PA4"));
    }

    [Fact]
    public void Read_ColumnsInOtherOrder_SelectsByHeaderName()
    {
        using var folder = new TempFolder();
        var table = "emg_zygomaticus\tecg\ttime\tgsr\temg_corrugator\temg_trapezius\n"
            + "3\t2\t0\t7.5\t4\t5\n3\t2\t1953\t7.6\t4\t5\n";
        folder.Write("biosignals_filtered/081014_w_27/081014_w_27-PA2-010_bio.csv", table);

        var recording = Assert.Single(BioVidReader.Read(folder.Path).Recordings);

        Assert.Equal(
            ["eda", "ecg", "emg_trapezius", "emg_corrugator", "emg_zygomaticus"],
            recording.Channels.Select(c => c.Name));
        Assert.Equal([7.5f, 7.6f], recording.Samples[0]);
        Assert.Equal([5f, 5f], recording.Samples[2]);
        Assert.Equal("PA2", recording.Label);
    }

    [Fact]
    public void Read_GapInTimeColumn_FilledWithNaN()
    {
        using var folder = new TempFolder();
        var rows = BioVidFakeTree.Table(16, 0).Split('\n');

        // Rows 5 to 8 (lines 7 to 10) are missing: their times are absent from the file.
        var table = string.Join('\n', rows.Take(6).Concat(rows.Skip(10)));
        folder.Write("biosignals_filtered/081014_w_27/081014_w_27-PA4-001_bio.csv", table);

        var result = BioVidReader.Read(folder.Path);

        var eda = Assert.Single(result.Recordings).Samples[0];
        Assert.Equal(16, eda.Length);
        Assert.Equal(Enumerable.Range(5, 4), Enumerable.Range(0, 16).Where(t => float.IsNaN(eda[t])));
        Assert.Equal(5.009f, eda[9], 1e-6f);
        Assert.Contains("4 NaN samples", Assert.Single(result.Problems).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_BadFileNameAndEmptyFile_AreSkippedAndReported()
    {
        using var folder = new TempFolder();
        BioVidFakeTree.Write(folder, rows: 16);
        folder.Write("biosignals_filtered/071309_w_21/notes_bio.csv", BioVidFakeTree.Table(16, 0));
        folder.Write("biosignals_filtered/071309_w_21/071309_w_21-PA3-099_bio.csv", BioVidFakeTree.Header + "\n");

        var result = BioVidReader.Read(folder.Path);

        Assert.Equal(20, result.Recordings.Count);
        Assert.Equal(2, result.Problems.Count);
    }

    [Fact]
    public void Read_MissingFolder_RaisesDirectoryNotFound()
    {
        var missing = Path.Combine(Path.GetTempPath(), "ssdedge-no-such-biovid");

        Assert.Throws<DirectoryNotFoundException>(() => BioVidReader.Read(missing));
    }
}
