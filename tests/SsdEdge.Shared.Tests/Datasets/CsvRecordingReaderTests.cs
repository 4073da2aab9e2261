using System.Globalization;
using System.Text;
using SsdEdge.Datasets;
using SsdEdge.Signals;
using Xunit;

namespace SsdEdge.Tests.Datasets;

public sealed class CsvRecordingReaderTests
{
    private static readonly ReadOptions Strict = new(Strict: true);

    [Fact]
    public void Read_Folder_OneRecordingPerFile()
    {
        using var folder = new TempFolder();
        folder.Write("s02.csv", Rows("eda,ecg", 5, t => $"{t},{-t}"));
        folder.WriteGzip("s01.csv.gz", Rows("eda,ecg", 4, t => $"{t},{-t}"));
        folder.Write("s03.tsv", Rows("eda\tecg", 3, t => $"{t}\t{-t}"));
        folder.Write("notes.txt", "not a recording");
        folder.Write("._s04.csv", "\0\0binary");

        var result = Read($"csv:{folder.Path}?rate=10");

        Assert.Equal(["s01", "s02", "s03"], result.Recordings.Select(recording => recording.Id));
        Assert.Equal(["s01", "s02", "s03"], result.Recordings.Select(recording => recording.SubjectId));
        Assert.Equal([4, 5, 3], result.Recordings.Select(recording => recording.Length));
        Assert.All(result.Recordings, recording => Assert.Equal(10.0, recording.SamplingRateHz));
        Assert.Equal([0f, 1, 2, 3], result.Recordings[0].Samples[0]);
        Assert.Empty(result.Problems);
    }

    [Fact]
    public void Read_SubjectRegex_SeveralFilesPerSubject()
    {
        using var folder = new TempFolder();
        foreach (var name in new[] { "s01_a.csv", "s01_b.csv", "s02_a.csv" })
        {
            folder.Write(name, Rows("eda", 3, t => $"{t}"));
        }

        var result = Read($"csv:{folder.Path}?rate=10&subject=^(s\\d+)_");

        Assert.Equal(["s01_a", "s01_b", "s02_a"], result.Recordings.Select(recording => recording.Id));
        Assert.Equal(["s01", "s01", "s02"], result.Recordings.Select(recording => recording.SubjectId));
    }

    [Fact]
    public void Read_SubjectRegexMisses_Throws()
    {
        using var folder = new TempFolder();
        folder.Write("s01_a.csv", Rows("eda", 3, t => $"{t}"));
        var pilot = folder.Write("pilot.csv", Rows("eda", 3, t => $"{t}"));
        var source = RecordingSource.Parse($"csv:{folder.Path}?rate=10&subject=^(s\\d+)_");

        var lenient = Assert.Throws<DataFormatException>(() => CsvRecordingReader.Read(source));
        var strict = Assert.Throws<DataFormatException>(() => CsvRecordingReader.Read(source, Strict));

        Assert.Equal(pilot, lenient.Path);
        Assert.Equal(pilot, strict.Path);
    }

    [Fact]
    public void Read_MixedHeaders_ThrowsNamingFileAndColumns()
    {
        using var folder = new TempFolder();
        folder.Write("a.csv", Rows("eda,ecg", 3, t => $"{t},{t}"));
        var other = folder.Write("b.csv", Rows("eda,emg", 3, t => $"{t},{t}"));

        var error = Assert.Throws<DataFormatException>(() => Read($"csv:{folder.Path}?rate=10"));

        Assert.Equal(other, error.Path);
        Assert.Contains("'a.csv'", error.Message, StringComparison.Ordinal);
        Assert.Contains("missing 'ecg'", error.Message, StringComparison.Ordinal);
        Assert.Contains("extra 'emg'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_SameColumnsOtherOrder_Accepted()
    {
        using var folder = new TempFolder();
        folder.Write("a.csv", Rows("eda,ecg", 3, t => $"{t},{-t}"));
        folder.Write("b.csv", Rows("ECG,EDA", 3, t => $"{-t},{t}"));

        var result = Read($"csv:{folder.Path}?rate=10");

        var second = result.Recordings[1];
        Assert.Equal([0f, 1, 2], second.Samples[second.IndexOfChannel("eda")]);
    }

    [Fact]
    public void Read_FolderWithoutCsv_Throws()
    {
        using var folder = new TempFolder();
        folder.Write("readme.txt", "nothing here");

        var error = Assert.Throws<DataFormatException>(() => Read($"csv:{folder.Path}?rate=10"));

        Assert.Equal(folder.Path, error.Path);
        Assert.Contains("no *.csv or *.tsv files", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_EmptyFileInFolder_SkippedAndReported()
    {
        using var folder = new TempFolder();
        var empty = folder.Write("a.csv", "");
        folder.Write("b.csv", Rows("eda", 3, t => $"{t}"));

        var result = Read($"csv:{folder.Path}?rate=10");

        Assert.Equal(["b"], result.Recordings.Select(recording => recording.Id));
        var problem = Assert.Single(result.Problems);
        Assert.Equal(empty, problem.Path);
        Assert.Contains("file skipped", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_EmptyFileInFolderStrict_Raises()
    {
        using var folder = new TempFolder();
        var empty = folder.Write("a.csv", "");
        folder.Write("b.csv", Rows("eda", 3, t => $"{t}"));
        var source = RecordingSource.Parse($"csv:{folder.Path}?rate=10");

        var error = Assert.Throws<DataFormatException>(() => CsvRecordingReader.Read(source, Strict));

        Assert.Equal(empty, error.Path);
    }

    [Fact]
    public void Read_NoReadableFile_ThrowsWithFirstProblem()
    {
        using var folder = new TempFolder();
        folder.Write("a.csv", "");
        folder.Write("b.csv", "eda\n");

        var error = Assert.Throws<DataFormatException>(() => Read($"csv:{folder.Path}?rate=10"));

        Assert.Contains("none of the 2 files", error.Message, StringComparison.Ordinal);
        Assert.Contains("a.csv", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_BadRows_KeptAsNaN()
    {
        using var folder = new TempFolder();
        var path = folder.Write("a.csv", "eda,ecg\n1,2\n3\n5,x\n7,8\n");

        var result = Read($"csv:{folder.Path}?rate=10");

        var recording = Assert.Single(result.Recordings);
        Assert.Equal(4, recording.Length);
        Assert.Equal([1f, float.NaN, 5, 7], recording.Samples[0]);
        Assert.Equal([2f, float.NaN, float.NaN, 8], recording.Samples[1]);
        Assert.Equal(2, result.Problems.Count);
        Assert.All(result.Problems, problem => Assert.Equal(path, problem.Path));
        Assert.Equal([3, 4], result.Problems.Select(problem => problem.Line));
    }

    [Fact]
    public void Read_DuplicateRecordingIds_Throws()
    {
        using var folder = new TempFolder();
        folder.Write("a.csv", Rows("eda", 3, t => $"{t}"));
        folder.Write("a.tsv", Rows("eda", 3, t => $"{t}"));

        var error = Assert.Throws<DataFormatException>(() => Read($"csv:{folder.Path}?rate=10"));

        Assert.Contains("recording id 'a'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_ColumnMap_RenamesMappedColumnsOnly()
    {
        using var folder = new TempFolder();
        folder.Write("a.csv", Rows("EDA_uS,Lead II,Resp", 3, t => $"{t},{2 * t},{3 * t}"));

        var result = Read($"csv:{folder.Path}?rate=10&columns=eda:EDA_uS,ecg:Lead II");

        var recording = Assert.Single(result.Recordings);
        Assert.Equal(["eda", "ecg", "resp"], recording.Channels.Select(channel => channel.Name));
        Assert.Equal(ChannelKind.Eda, recording.Channels[0].Kind);
        Assert.Equal(ChannelKind.Ecg, recording.Channels[1].Kind);
        Assert.Equal([0f, 2, 4], recording.Samples[1]);
    }

    [Fact]
    public void Read_ColumnMapMissingColumn_ThrowsListingColumns()
    {
        using var folder = new TempFolder();
        folder.Write("a.csv", Rows("EDA,ECG", 3, t => $"{t},{t}"));
        var source = RecordingSource.Parse($"csv:{folder.Path}?rate=10&columns=eda:EDA_uS");

        var error = Assert.Throws<DataFormatException>(() => CsvRecordingReader.Read(source, Strict));

        Assert.Contains("column 'EDA_uS' was not found", error.Message, StringComparison.Ordinal);
        Assert.Contains("EDA, ECG", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_ColumnMapCollidesWithHeader_Throws()
    {
        using var folder = new TempFolder();
        folder.Write("a.csv", Rows("eda,eda_raw", 3, t => $"{t},{t}"));
        var source = RecordingSource.Parse($"csv:{folder.Path}?rate=10&columns=eda:eda_raw");

        var error = Assert.Throws<DataFormatException>(() => CsvRecordingReader.Read(source, Strict));

        Assert.Contains("would both be channel 'eda'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ReadWithLabels_LabelColumn_CodesPerSample()
    {
        using var folder = new TempFolder();
        folder.Write("a.csv", "eda,stimulus\n1,rest\n2,\"pain\"\n3,\n4,rest\n");
        folder.Write("b.csv", "eda,stimulus\n1,pain\n2,pain\n");

        var result = ReadWithLabels($"csv:{folder.Path}?rate=10&labels=column:stimulus");

        Assert.All(result.Recordings, recording => Assert.Equal(["eda"], recording.Channels.Select(c => c.Name)));
        Assert.All(result.Recordings, recording => Assert.Empty(recording.Events));
        Assert.Equal(["rest", "pain"], result.LabelValues);
        Assert.Equal([0, 1, SampleLabelValues.Unlabelled, 0], result.SampleLabels["a"]);
        Assert.Equal([1, 1], result.SampleLabels["b"]);
        Assert.Empty(result.Problems);
    }

    [Fact]
    public void ReadWithLabels_BlankLastLabel_Unlabelled()
    {
        using var folder = new TempFolder();
        folder.Write("a.tsv", "eda\tstate\n1\tpain\n2\t\n3\tpain\n");

        var result = ReadWithLabels($"csv:{folder.Path}?rate=10&labels=column:state");

        Assert.Equal([0, -1, 0], result.SampleLabels["a"]);
        Assert.Equal([1f, 2, 3], result.Recordings[0].Samples[0]);
        Assert.Empty(result.Problems);
    }

    [Fact]
    public void ReadWithLabels_TimeGap_GapSamplesUnlabelled()
    {
        using var folder = new TempFolder();
        folder.Write("a.csv", "time,eda,state\n0.0,1,pain\n0.1,2,pain\n0.2,3,pain\n0.5,4,pain\n");

        var result = ReadWithLabels($"csv:{folder.Path}?time=time&labels=column:state");

        Assert.Equal([0, 0, 0, -1, -1, 0], result.SampleLabels["a"]);
        Assert.Equal(6, result.Recordings[0].Length);
    }

    [Fact]
    public void ReadWithLabels_RaggedRow_UnlabelledInPlace()
    {
        using var folder = new TempFolder();
        folder.Write("a.csv", "eda,state\n1,pain\n2\n3,pain\n");

        var result = ReadWithLabels($"csv:{folder.Path}?rate=10&labels=column:state");

        Assert.Equal([0, -1, 0], result.SampleLabels["a"]);
        Assert.Single(result.Problems);
    }

    [Fact]
    public void ReadWithLabels_MissingLabelColumn_SkipsFile()
    {
        using var folder = new TempFolder();
        folder.Write("a.csv", "eda,state\n1,pain\n");
        var without = folder.Write("b.csv", "eda,other\n1,2\n");

        var result = ReadWithLabels($"csv:{folder.Path}?rate=10&labels=column:state");

        Assert.Equal(["a"], result.Recordings.Select(recording => recording.Id));
        var problem = Assert.Single(result.Problems);
        Assert.Equal(without, problem.Path);
        Assert.Contains("column 'state' was not found", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ReadWithLabels_FileLabels_SetRecordingLabel()
    {
        using var folder = new TempFolder();
        folder.Write("s01_nopain.csv", Rows("eda", 3, t => $"{t}"));
        folder.Write("s01_pain.csv", Rows("eda", 3, t => $"{t}"));

        var result = ReadWithLabels(
            $"csv:{folder.Path}?rate=10&subject=^(s\\d+)_&labels=file:_(pain|nopain)\\.csv$");

        Assert.Equal(["nopain", "pain"], result.Recordings.Select(recording => recording.Label));
        Assert.All(result.Recordings, recording => Assert.Equal("s01", recording.SubjectId));
    }

    [Fact]
    public void Read_SingleFile_KeepsFormerBehaviour()
    {
        using var folder = new TempFolder();
        var path = folder.Write("one.csv", "eda,marker\n1,5\n1,5\n1,0\n1,0\n");

        var result = Read($"csv:{path}?rate=10&subject=volunteer");

        var recording = Assert.Single(result.Recordings);
        Assert.Equal("one", recording.Id);
        Assert.Equal("volunteer", recording.SubjectId);
        Assert.Equal([2L], recording.Events.Select(e => e.SampleIndex));
    }

    [Fact]
    public void Recognize_FolderOfCsv_IsCsv()
    {
        using var folder = new TempFolder();
        folder.Write("a.csv", Rows("eda", 3, t => $"{t}"));

        Assert.Equal("csv", RecordingSource.Recognize(folder.Path));
    }

    private static ReadResult Read(string source) => RecordingFiles.Read(source);

    private static CsvReadResult ReadWithLabels(string source)
    {
        var parsed = RecordingSource.Parse(source);
        return CsvRecordingReader.ReadWithLabels(parsed.Path, CsvSourceOptions.Parse(parsed), null);
    }

    private static string Rows(string header, int count, Func<int, string> row)
    {
        var text = new StringBuilder(header).Append('\n');
        for (var t = 0; t < count; t++)
        {
            text.Append(CultureInfo.InvariantCulture, $"{row(t)}\n");
        }

        return text.ToString();
    }
}
