using System.Globalization;
using System.Text;
using SsdEdge.Datasets;
using Xunit;

namespace SsdEdge.Tests.Datasets;

public sealed class FmovReaderTests
{
    private static readonly string[] ChannelNames =
        ["eda", "emg_zygomaticus_raw", "emg_corrugator_raw", "emg_zygomaticus", "emg_corrugator"];

    [Fact]
    public void Read_Folder_ReturnsTwentySubjectsWithTwelveOnsets()
    {
        var folder = TestData.PathOf("fmov");

        var result = FmovReader.Read(folder);

        Assert.Equal(20, result.Recordings.Count);
        Assert.Empty(result.Problems);
        foreach (var recording in result.Recordings)
        {
            Assert.Equal(100.0, recording.SamplingRateHz);
            Assert.Equal(ChannelNames, recording.Channels.Select(channel => channel.Name));
            Assert.InRange(recording.DurationSeconds, 265.0, 390.0);
            Assert.Equal(12, recording.Events.Count);
            Assert.Equal(4, recording.Events.Count(e => e.Label == "angry"));
            Assert.Equal(4, recording.Events.Count(e => e.Label == "happy"));
            Assert.Equal(4, recording.Events.Count(e => e.Label == "neutral"));
        }
    }

    [Fact]
    public void Read_SingleFile_HasSubjectIdRowCountAndUnits()
    {
        var path = TestData.PathOf("fmov/subject09_100hz.tsv.gz");

        var recording = Assert.Single(FmovReader.Read(path).Recordings);

        Assert.Equal("subject09", recording.SubjectId);
        Assert.Equal(26523, recording.Length);
        Assert.Equal("uS", recording.Channels[0].Unit);
        Assert.Equal("mV", recording.Channels[4].Unit);
        Assert.All(recording.Samples, channel => Assert.All(channel, value => Assert.True(float.IsFinite(value))));
    }

    [Fact]
    public void Read_OnsetsAreSpacedLikeThePictures()
    {
        var path = TestData.PathOf("fmov/subject09_100hz.tsv.gz");

        var recording = Assert.Single(FmovReader.Read(path).Recordings);

        var onsets = recording.Events.Select(e => e.SampleIndex).ToList();
        Assert.Equal(onsets.Order().ToList(), onsets);
        for (var i = 1; i < onsets.Count; i++)
        {
            // Pictures are about 20 s apart.
            Assert.InRange(onsets[i] - onsets[i - 1], 1000, 4000);
        }
    }

    [Fact]
    public void Read_MarkerFallFromFiveToZero_GivesOnsetAtFirstLowSample()
    {
        using var folder = new TempFolder();
        var rows = new StringBuilder();
        for (var t = 0; t < 10; t++)
        {
            var angry = t is >= 1 and < 4 || t >= 6 ? 5 : 0;
            rows.Append(CultureInfo.InvariantCulture, $"1.5\t0\t0\t0.1\t0.2\t{angry}\t5\t5\t\n");
        }

        var path = folder.WriteGzip("subject99_100hz.tsv.gz", rows.ToString());

        var recording = Assert.Single(FmovReader.Read(path).Recordings);

        Assert.Equal([4L], recording.Events.Select(e => e.SampleIndex));
        Assert.Equal("angry", recording.Events[0].Label);
        Assert.Equal("subject99", recording.SubjectId);
    }

    [Fact]
    public void Read_CommaSeparatedFile_ReportsDelimiterHint()
    {
        using var folder = new TempFolder();
        var path = folder.Write("subject01_100hz.tsv", "1,0,0,0,0,5,5,5\n");

        var error = Assert.Throws<DataFormatException>(() => FmovReader.Read(path, new ReadOptions(Strict: true)));

        Assert.Equal(1, error.Line);
        Assert.Contains("comma", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_FolderWithEmptyFile_SkipsItAndReportsIt()
    {
        using var folder = new TempFolder();
        folder.Write("subject01_100hz.tsv", "1\t0\t0\t0\t0\t5\t5\t5\t\n2\t0\t0\t0\t0\t5\t5\t5\t\n");
        var empty = folder.Write("subject02_100hz.tsv", "");

        var result = FmovReader.Read(folder.Path);

        Assert.Single(result.Recordings);
        var problem = Assert.Single(result.Problems);
        Assert.Equal(empty, problem.Path);
        Assert.Contains("no data rows", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_MalformedRows_KeptAsNaNInPlace()
    {
        using var folder = new TempFolder();
        var rows = new StringBuilder();
        for (var t = 0; t < 6; t++)
        {
            var row = t switch
            {
                2 => "1.5\tNaN\t0\t0.1\tx\t5\t5\t5\t\n",
                3 => "1.5\t0\t0\n",
                _ => string.Create(CultureInfo.InvariantCulture, $"{t}\t0\t0\t0.1\t0.2\t5\t5\t5\t\n"),
            };
            rows.Append(row);
        }

        var path = folder.WriteGzip("subject98_100hz.tsv.gz", rows.ToString());

        var result = FmovReader.Read(path);

        var recording = Assert.Single(result.Recordings);
        Assert.Equal(6, recording.Length);
        Assert.Equal(1.5f, recording.Samples[0][2]);
        Assert.True(float.IsNaN(recording.Samples[1][2]));
        Assert.True(float.IsNaN(recording.Samples[4][2]));
        Assert.All(recording.Samples, channel => Assert.True(float.IsNaN(channel[3])));
        Assert.Equal(5f, recording.Samples[0][5]);
        Assert.Equal([3, 4], result.Problems.Select(p => p.Line));
        Assert.Contains("1 more field", result.Problems[0].Message, StringComparison.Ordinal);
        Assert.Empty(recording.Events);
    }
}
