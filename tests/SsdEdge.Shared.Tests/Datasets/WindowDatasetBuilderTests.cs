using System.Globalization;
using System.Text;
using SsdEdge.Datasets;
using SsdEdge.Preprocessing;
using SsdEdge.Tests.Preprocessing;
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

    [Fact]
    public void Build_WindowOverNaNRow_Rejected()
    {
        using var folder = new TempFolder();
        var channels = TestContracts.Recording(3000, seed: 7);
        var text = new StringBuilder("eda,emg_corrugator,emg_zygomaticus\n");
        for (var t = 0; t < 3000; t++)
        {
            text.Append(t == 1200
                ? "NaN,x\n"
                : string.Create(
                    CultureInfo.InvariantCulture,
                    $"{channels[0][t]:R},{channels[1][t]:R},{channels[2][t]:R}\n"));
        }

        var path = folder.Write("nan-row.csv", text.ToString());
        var layout = new DelimitedTextOptions { SamplingRateHz = TestContracts.RawRateHz };
        var read = DelimitedTextReader.Read(path, layout);
        var recording = Assert.Single(read.Recordings);
        var preprocessor = new WindowPreprocessor(TestContracts.ThreeChannel(), TestContracts.RawRateHz);
        var builder = WindowDatasetBuilder.For(preprocessor, ["eda", "emg_corrugator", "emg_zygomaticus"]);
        LabelledWindow[] windows =
        [
            new(recording, 0, 550, 0),
            new(recording, 700, 550, 1),
            new(recording, 1201, 550, 1),
        ];

        var result = builder.Build(windows, ["no_pain", "pain"]);

        Assert.Equal(3000, recording.Length);
        Assert.Equal([0L, 1201], result.Dataset.Origins.Select(o => o.StartSample));
        Assert.Equal([700L], result.Rejected.Select(r => r.Origin.StartSample));
        Assert.All(result.Dataset.Inputs, value => Assert.True(float.IsFinite(value)));
    }

    [Fact]
    public void Build_ProcessorWritingNaN_WindowRejected()
    {
        var recording = TestRecordings.Ramp("r", ["eda"], 100, 10);
        recording.Samples[0][12] = float.NaN;
        LabelledWindow[] windows = [new(recording, 10, 4, 0), new(recording, 20, 4, 1)];
        var builder = new WindowDatasetBuilder(["eda"], 4, 4, Copy);

        var result = builder.Build(windows, ["a", "b"]);

        Assert.Equal([20L], result.Dataset.Origins.Select(o => o.StartSample));
        Assert.Equal([10L], result.Rejected.Select(r => r.Origin.StartSample));
    }

    private static bool Copy(ReadOnlySpan<float> raw, Span<float> model)
    {
        raw.CopyTo(model);
        return true;
    }
}
