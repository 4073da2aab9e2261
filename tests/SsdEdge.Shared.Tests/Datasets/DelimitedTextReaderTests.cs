using System.Text;
using SsdEdge.Datasets;
using SsdEdge.Signals;
using Xunit;

namespace SsdEdge.Tests.Datasets;

public sealed class DelimitedTextReaderTests
{
    private static readonly ReadOptions Strict = new(Strict: true);
    private static readonly DelimitedTextOptions At100Hz = new() { SamplingRateHz = 100 };

    [Fact]
    public void Read_NeuroKit_HasRowsAndFourOnsets()
    {
        var path = TestData.PathOf("recordings/neurokit_bio_eventrelated_100hz.csv");

        var result = DelimitedTextReader.Read(path, At100Hz);

        var recording = Assert.Single(result.Recordings);
        Assert.Equal(15000, recording.Length);
        Assert.Equal(100.0, recording.SamplingRateHz);
        Assert.Equal(["ecg", "eda", "photosensor", "rsp"], recording.Channels.Select(c => c.Name));
        Assert.Equal(ChannelKind.Eda, recording.Channels[1].Kind);
        Assert.Equal([1024L, 4958, 9224, 12984], recording.Events.Select(e => e.SampleIndex));
        Assert.Empty(result.Problems);
    }

    [Fact]
    public void Read_NeuroKit_EdaInMicrosiemens()
    {
        var path = TestData.PathOf("recordings/neurokit_bio_eventrelated_100hz.csv");

        var recording = Assert.Single(DelimitedTextReader.Read(path, At100Hz).Recordings);

        var eda = recording.Samples[recording.IndexOfChannel("eda")];
        Assert.InRange(eda.Min(), 12.8f, 13.0f);
        Assert.InRange(eda.Max(), 16.7f, 16.9f);
    }

    [Fact]
    public void Read_MarkerAtThreshold_OneOnset()
    {
        using var folder = new TempFolder();
        var path = folder.Write("marker.csv", "EDA,Photosensor\n1,5\n1,5\n1,2.5\n1,0\n1,0\n1,5\n");

        var recording = Assert.Single(DelimitedTextReader.Read(path, At100Hz).Recordings);

        Assert.Equal([3L], recording.Events.Select(e => e.SampleIndex));
        Assert.Equal("photosensor", recording.Events[0].Label);
    }

    [Fact]
    public void Read_EmptyFile_RaisesInBothModes()
    {
        using var folder = new TempFolder();
        var path = folder.Write("empty.csv", "");

        var lenient = Assert.Throws<DataFormatException>(() => DelimitedTextReader.Read(path, At100Hz));
        var strict = Assert.Throws<DataFormatException>(() => DelimitedTextReader.Read(path, At100Hz, Strict));

        Assert.Contains("no data rows", lenient.Message, StringComparison.Ordinal);
        Assert.Equal(path, strict.Path);
    }

    [Fact]
    public void Read_HeaderOnly_RaisesNoDataRows()
    {
        using var folder = new TempFolder();
        var path = folder.Write("header.csv", "ECG,EDA\n");

        var error = Assert.Throws<DataFormatException>(() => DelimitedTextReader.Read(path, At100Hz));

        Assert.Contains("no data rows", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_WrongDelimiter_RaisesWithHintAndLine()
    {
        using var folder = new TempFolder();
        var path = folder.Write("semicolons.csv", "ECG;EDA\n0.1;5.0\n0.2;5.1\n");
        var layout = At100Hz with { Delimiter = ',', HasHeader = true };

        var error = Assert.Throws<DataFormatException>(() => DelimitedTextReader.Read(path, layout, Strict));

        Assert.Equal(2, error.Line);
        Assert.Contains("semicolon", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_SemicolonFile_DetectsDelimiter()
    {
        using var folder = new TempFolder();
        var path = folder.Write("semicolons.csv", "ECG;EDA\n0.1;5.0\n0.2;5.1\n");

        var recording = Assert.Single(DelimitedTextReader.Read(path, At100Hz).Recordings);

        Assert.Equal(2, recording.Length);
        Assert.Equal(5.1f, recording.Samples[1][1]);
    }

    [Theory]
    [InlineData("NaN")]
    [InlineData("Infinity")]
    [InlineData("-Infinity")]
    [InlineData("1e999")]
    [InlineData("abc")]
    [InlineData("")]
    public void Read_BadField_KeepsNaNSampleAndReportsLine(string field)
    {
        using var folder = new TempFolder();
        var path = folder.Write("bad.csv", $"ECG,EDA\n0.1,5.0\n{field},5.1\n0.3,5.2\n");

        var result = DelimitedTextReader.Read(path, At100Hz);

        var recording = Assert.Single(result.Recordings);
        Assert.Equal(3, recording.Length);
        Assert.True(float.IsNaN(recording.Samples[0][1]));
        Assert.Equal(0.3f, recording.Samples[0][2]);
        Assert.Equal([5.0f, 5.1f, 5.2f], recording.Samples[1]);
        var problem = Assert.Single(result.Problems);
        Assert.Equal(3, problem.Line);
        Assert.Equal(path, problem.Path);
        Assert.Contains("kept as NaN", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_BadFieldStrict_RaisesWithLine()
    {
        using var folder = new TempFolder();
        var path = folder.Write("bad.csv", "ECG,EDA\n0.1,5.0\n0.2,NaN\n");

        var error = Assert.Throws<DataFormatException>(() => DelimitedTextReader.Read(path, At100Hz, Strict));

        Assert.Equal(3, error.Line);
        Assert.Contains("EDA", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("kept as NaN", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_MixedLineEndings_ReadsEveryRow()
    {
        using var folder = new TempFolder();
        var path = folder.Write("mixed.csv", "ECG,EDA\r\n0.1,5.0\n0.2,5.1\r0.3,5.2\r\n0.4,5.3");

        var result = DelimitedTextReader.Read(path, At100Hz);

        var recording = Assert.Single(result.Recordings);
        Assert.Equal([5.0f, 5.1f, 5.2f, 5.3f], recording.Samples[1]);
        Assert.Empty(result.Problems);
    }

    [Fact]
    public void Read_TruncatedLastLine_KeptAsNaNSample()
    {
        using var folder = new TempFolder();
        var path = folder.Write("cut.csv", "ECG,EDA,RSP\n0.1,5.0,1\n0.2,5.1,1\n0.3,5.");

        var result = DelimitedTextReader.Read(path, At100Hz);

        var recording = Assert.Single(result.Recordings);
        Assert.Equal(3, recording.Length);
        Assert.All(recording.Samples, channel => Assert.True(float.IsNaN(channel[2])));
        var problem = Assert.Single(result.Problems);
        Assert.Equal(4, problem.Line);
        Assert.Contains("found 2", problem.Message, StringComparison.Ordinal);
        Assert.Contains("kept as NaN in every channel", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_EmptyFinalLine_AddsNoSample()
    {
        using var folder = new TempFolder();
        var path = folder.Write("clean.csv", "ECG,EDA\n0.1,5.0\n0.2,5.1\n\n");

        var result = DelimitedTextReader.Read(path, At100Hz);

        Assert.Equal(2, Assert.Single(result.Recordings).Length);
        Assert.Empty(result.Problems);
    }

    [Fact]
    public void Read_HundredNaNRowsAt512Hz_KeepTheirPlace()
    {
        using var folder = new TempFolder();
        var text = new StringBuilder("EDA,EMG\n");
        for (var t = 0; t < 10240; t++)
        {
            text.Append(t is >= 3000 and < 3100 ? "NaN,NaN\n" : $"{t},{-t}\n");
        }

        var path = folder.Write("gap512.csv", text.ToString());

        var result = DelimitedTextReader.Read(path, new DelimitedTextOptions { SamplingRateHz = 512 });

        var recording = Assert.Single(result.Recordings);
        Assert.Equal(10240, recording.Length);
        Assert.Equal(20.0, recording.DurationSeconds);
        var eda = recording.Samples[0];
        Assert.Equal(Enumerable.Range(3000, 100), Enumerable.Range(0, eda.Length).Where(t => float.IsNaN(eda[t])));
        Assert.Equal(2999f, eda[2999]);
        Assert.Equal(3100f, eda[3100]);
        Assert.Equal(10239f, eda[^1]);
        Assert.Equal(-10239f, recording.Samples[1][^1]);
        Assert.Equal(100, result.Problems.Count);
        Assert.Equal(3002, result.Problems[0].Line);
    }

    [Fact]
    public void Read_TimeColumnWithGap_FillsMissingInstantsWithNaN()
    {
        using var folder = new TempFolder();
        var path = folder.Write("gap.csv", "t_ms,EDA\n0,1\n10,2\n20,3\n60,7\n70,8\n");
        var layout = new DelimitedTextOptions { TimeColumn = "t_ms", TimeUnitSeconds = 1e-3, SamplingRateHz = 100 };

        var result = DelimitedTextReader.Read(path, layout);

        var eda = Assert.Single(result.Recordings).Samples[0];
        Assert.Equal(8, eda.Length);
        Assert.Equal([1f, 2f, 3f], eda[..3]);
        Assert.All(eda[3..6], value => Assert.True(float.IsNaN(value)));
        Assert.Equal([7f, 8f], eda[6..]);
        var problem = Assert.Single(result.Problems);
        Assert.Equal(5, problem.Line);
        Assert.Contains("3 NaN samples were inserted", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_TimeColumnWithGap_DerivesRateFromRegularSteps()
    {
        using var folder = new TempFolder();
        var path = folder.Write("gap.csv", "t_ms,EDA\n0,1\n4,2\n8,3\n40,7\n44,8\n48,9\n");
        var layout = new DelimitedTextOptions { TimeColumn = "t_ms", TimeUnitSeconds = 1e-3 };

        var recording = Assert.Single(DelimitedTextReader.Read(path, layout).Recordings);

        Assert.Equal(250.0, recording.SamplingRateHz);
        Assert.Equal(13, recording.Length);
    }

    [Fact]
    public void Read_TimeColumnGapStrict_Raises()
    {
        using var folder = new TempFolder();
        var path = folder.Write("gap.csv", "time,EDA\n0,1\n0.01,2\n0.05,3\n");
        var layout = new DelimitedTextOptions { TimeColumn = "time", SamplingRateHz = 100 };

        var error = Assert.Throws<DataFormatException>(() => DelimitedTextReader.Read(path, layout, Strict));

        Assert.Equal(4, error.Line);
        Assert.Contains("3 sample instants", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_TimedRowWithBadTime_KeptAsNaNAtItsInstant()
    {
        using var folder = new TempFolder();
        var path = folder.Write("timed.csv", "time,EDA\n0,1\n0.01,2\nx,3\n0.03,4\n0.04,5,9\n0.05,6\n");
        var layout = new DelimitedTextOptions { TimeColumn = "time", SamplingRateHz = 100 };

        var result = DelimitedTextReader.Read(path, layout);

        var eda = Assert.Single(result.Recordings).Samples[0];
        Assert.Equal(6, eda.Length);
        Assert.Equal([1f, 2f], eda[..2]);
        Assert.True(float.IsNaN(eda[2]));
        Assert.Equal(4f, eda[3]);
        Assert.True(float.IsNaN(eda[4]));
        Assert.Equal(6f, eda[5]);
        Assert.Equal([4, 6], result.Problems.Select(p => p.Line));
    }

    [Fact]
    public void Read_TimeGoingBackwards_KeptAsNaN()
    {
        using var folder = new TempFolder();
        var path = folder.Write("timed.csv", "time,EDA\n0,1\n0.01,2\n0.005,3\n0.03,4\n");
        var layout = new DelimitedTextOptions { TimeColumn = "time", SamplingRateHz = 100 };

        var result = DelimitedTextReader.Read(path, layout);

        var eda = Assert.Single(result.Recordings).Samples[0];
        Assert.Equal(4, eda.Length);
        Assert.True(float.IsNaN(eda[2]));
        Assert.Equal(4f, eda[3]);
        var problem = Assert.Single(result.Problems);
        Assert.Equal(4, problem.Line);
        Assert.Contains("does not increase", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_MistypedHugeTime_KeptAsNaNWithoutFillingTheJump()
    {
        using var folder = new TempFolder();
        var path = folder.Write("timed.csv", "time,EDA\n0,1\n0.01,2\n1000000,3\n0.03,4\n");
        var layout = new DelimitedTextOptions { TimeColumn = "time", SamplingRateHz = 100 };

        var result = DelimitedTextReader.Read(path, layout);

        var eda = Assert.Single(result.Recordings).Samples[0];
        Assert.Equal(4, eda.Length);
        Assert.True(float.IsNaN(eda[2]));
        Assert.Equal(4f, eda[3]);
        Assert.Equal(4, Assert.Single(result.Problems).Line);
    }

    [Fact]
    public void Read_NaNMarker_CreatesNoOnset()
    {
        using var folder = new TempFolder();
        var path = folder.Write("marker.csv", "EDA,Photosensor\n1,5\n1,5\n1,NaN\n1,5\n1,0\n1,5\n");

        var result = DelimitedTextReader.Read(path, At100Hz);

        var recording = Assert.Single(result.Recordings);
        Assert.Equal([4L], recording.Events.Select(e => e.SampleIndex));
        Assert.Equal(6, recording.Length);
    }

    [Fact]
    public void Read_MarkerOnlyFallsIntoNaN_CreatesNoOnset()
    {
        using var folder = new TempFolder();
        var path = folder.Write("marker.csv", "EDA,Photosensor\n1,5\n1,0\n1,5\n1,NaN\n1,NaN\n");

        var recording = Assert.Single(DelimitedTextReader.Read(path, At100Hz).Recordings);

        Assert.Equal([1L], recording.Events.Select(e => e.SampleIndex));
    }

    [Fact]
    public void Read_TimeColumn_DerivesRate()
    {
        using var folder = new TempFolder();
        var path = folder.Write("timed.csv", "t_ms,EDA\n0,5\n4,5.1\n8,5.2\n12,5.3\n");
        var layout = new DelimitedTextOptions { TimeColumn = "t_ms", TimeUnitSeconds = 1e-3 };

        var recording = Assert.Single(DelimitedTextReader.Read(path, layout).Recordings);

        Assert.Equal(250.0, recording.SamplingRateHz);
        Assert.Equal(["eda"], recording.Channels.Select(c => c.Name));
    }

    [Fact]
    public void Read_DuplicatedTimeRow_IsDroppedAndReported()
    {
        using var folder = new TempFolder();
        var path = folder.Write("timed.csv", "time,EDA\n0,5\n0.01,5.1\n0.01,5.2\n0.02,5.3\n");
        var layout = new DelimitedTextOptions { TimeColumn = "time" };

        var result = DelimitedTextReader.Read(path, layout);

        Assert.Equal([5f, 5.1f, 5.3f], Assert.Single(result.Recordings).Samples[0]);
        var problem = Assert.Single(result.Problems);
        Assert.Equal(4, problem.Line);
        Assert.Contains("dropped", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_NoRate_Raises()
    {
        using var folder = new TempFolder();
        var path = folder.Write("plain.csv", "EDA\n5\n6\n");

        var error = Assert.Throws<DataFormatException>(() => DelimitedTextReader.Read(path));

        Assert.Contains("sampling rate is unknown", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_ColumnMap_SelectsRenamesAndScales()
    {
        using var folder = new TempFolder();
        var path = folder.Write("mapped.tsv", "a\tb\tc\n1\t2\t3\n4\t5\t6\n");
        var layout = At100Hz with
        {
            Columns =
            [
                new ColumnMapping("c", "emg", ChannelKind.Emg, "mV", Scale: 1000),
                new("a", "eda", ChannelKind.Eda, "uS"),
            ],
        };

        var recording = Assert.Single(DelimitedTextReader.Read(path, layout).Recordings);

        Assert.Equal(["emg", "eda"], recording.Channels.Select(c => c.Name));
        Assert.Equal([3000f, 6000f], recording.Samples[0]);
        Assert.Equal([1f, 4f], recording.Samples[1]);
    }

    [Fact]
    public void Read_MissingMappedColumn_RaisesAndListsColumns()
    {
        using var folder = new TempFolder();
        var path = folder.Write("mapped.csv", "a,b\n1,2\n");
        var layout = At100Hz with { Columns = [new ColumnMapping("gsr", "eda", ChannelKind.Eda, "uS")] };

        var error = Assert.Throws<DataFormatException>(() => DelimitedTextReader.Read(path, layout));

        Assert.Contains("'gsr' was not found", error.Message, StringComparison.Ordinal);
        Assert.Contains("a, b", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_ManyBadRows_ListsFirstHundred()
    {
        using var folder = new TempFolder();
        var rows = string.Concat(Enumerable.Repeat("x,y\n", 150));
        var path = folder.Write("bad.csv", "A,B\n1,2\n" + rows);

        var result = DelimitedTextReader.Read(path, At100Hz);

        Assert.Equal(101, result.Problems.Count);
        Assert.Contains("50 more", result.Problems[^1].Message, StringComparison.Ordinal);
        Assert.Equal(151, Assert.Single(result.Recordings).Length);
    }
}
