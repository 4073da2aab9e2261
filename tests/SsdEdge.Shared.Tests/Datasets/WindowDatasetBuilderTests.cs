using SsdEdge.Datasets;
using SsdEdge.Signals;
using Xunit;

namespace SsdEdge.Tests.Datasets;

public sealed class WindowDatasetBuilderTests
{
    [Fact]
    public void Build_CopiesChannelsInModelOrder()
    {
        var recording = TestRecordings.Ramp("r", ["eda", "ecg", "emg"], 100, 10);
        LabelledWindow[] windows = [new(recording, 10, 4, 1)];
        var builder = new WindowDatasetBuilder(["emg", "eda"], 4, 4, Copy);

        var result = builder.Build(windows, ["rest", "response"]);

        Assert.Equal([2010f, 2011, 2012, 2013, 10, 11, 12, 13], result.Dataset.Window(0).ToArray());
        Assert.Equal(2, result.Dataset.ChannelCount);
        Assert.Equal("subject-r", result.Dataset.SubjectIds[0]);
        Assert.Equal(new WindowOrigin("r", 10, 4), result.Dataset.Origins[0]);
    }

    [Fact]
    public void Build_RejectedWindows_AreCountedAndLeftOut()
    {
        var recording = TestRecordings.Ramp("r", ["eda"], 100, 10);
        LabelledWindow[] windows = [new(recording, 0, 4, 0), new(recording, 50, 4, 1), new(recording, 90, 4, 1)];

        // Rejects windows whose first raw value is 50 or more.
        var builder = new WindowDatasetBuilder(["eda"], 4, 2, (raw, model) =>
        {
            model[0] = raw[0];
            model[1] = raw[3];
            return raw[0] < 50;
        });

        var result = builder.Build(windows, ["a", "b"]);

        Assert.Equal(1, result.Dataset.Count);
        Assert.Equal(2, result.RejectedCount);
        Assert.Equal([50L, 90], result.Rejected.Select(r => r.Origin.StartSample));
        Assert.Equal(2, result.Dataset.Inputs.Length);
        Assert.Equal([0f, 3f], result.Dataset.Window(0).ToArray());
    }

    [Fact]
    public void Build_OtherLength_Raises()
    {
        var recording = TestRecordings.Ramp("r", ["eda"], 100, 10);
        var builder = new WindowDatasetBuilder(["eda"], 8, 8, Copy);

        LabelledWindow[] windows = [new(recording, 0, 4, 0)];

        var error = Assert.Throws<ArgumentException>(() => builder.Build(windows, ["a"]));

        Assert.Contains("expects 8", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Build_MissingChannel_RaisesKeyNotFound()
    {
        var recording = TestRecordings.Ramp("r", ["eda"], 100, 10);
        var builder = new WindowDatasetBuilder(["ecg"], 4, 4, Copy);

        Assert.Throws<KeyNotFoundException>(() => builder.Build([new LabelledWindow(recording, 0, 4, 0)], ["a"]));
    }

    [Fact]
    public void Build_FmovTask_OneInputPerWindow()
    {
        var recording = Assert.Single(FmovReader.Read(TestData.PathOf("fmov/subject09_100hz.tsv.gz")).Recordings);
        var set = new OnsetResponseTask().CreateWindows([recording]);
        var builder = new WindowDatasetBuilder(["eda", "emg_corrugator", "emg_zygomaticus"], 550, 550, Copy);

        var result = builder.Build(set);

        Assert.Equal(set.Windows.Count, result.Dataset.Count);
        Assert.Equal(set.Windows.Count * 3 * 550, result.Dataset.Inputs.Length);
        Assert.Equal(0, result.RejectedCount);
        var first = set.Windows[0];
        Assert.Equal(recording.Samples[0][first.StartSample], result.Dataset.Window(0)[0]);
    }

    private static bool Copy(ReadOnlySpan<float> raw, Span<float> model)
    {
        raw.CopyTo(model);
        return true;
    }
}
