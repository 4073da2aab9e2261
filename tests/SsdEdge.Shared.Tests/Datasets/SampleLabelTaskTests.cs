using SsdEdge.Datasets;
using Xunit;

namespace SsdEdge.Tests.Datasets;

public sealed class SampleLabelTaskTests
{
    private const int Unlabelled = SampleLabelTask.Unlabelled;
    private const int Excluded = SampleLabelTask.Excluded;

    [Fact]
    public void CreateWindows_UniformWindows_TakeTheirLabel()
    {
        // 10 Hz, 2 s windows of 20 samples, no overlap: samples 0-19 class 0, 20-39 class 1.
        var recording = TestRecordings.Ramp("r", ["eda"], 40, 10);
        var labels = Labels(40, (0, 20, 0), (20, 40, 1));
        var task = new SampleLabelTask(["rest", "pain"], new Dictionary<string, int[]> { ["r"] = labels }, 2.0);

        var set = task.CreateWindows([recording]);

        Assert.Equal([0L, 20], set.Windows.Select(window => window.StartSample));
        Assert.Equal([0, 1], set.Windows.Select(window => window.Label));
        Assert.All(set.Windows, window => Assert.Equal(20, window.RawSamples));
        Assert.Equal(0, set.MixedLabelWindows);
        Assert.Equal(["rest", "pain"], set.ClassLabels);
    }

    [Fact]
    public void CreateWindows_WindowAcrossBoundary_SkippedAndCounted()
    {
        // Boundary at sample 30 lies inside the second 20-sample window (20-39).
        var recording = TestRecordings.Ramp("r", ["eda"], 60, 10);
        var labels = Labels(60, (0, 30, 0), (30, 60, 1));
        var task = new SampleLabelTask(["rest", "pain"], new Dictionary<string, int[]> { ["r"] = labels }, 2.0);

        var set = task.CreateWindows([recording]);

        Assert.Equal([0L, 40], set.Windows.Select(window => window.StartSample));
        Assert.Equal([0, 1], set.Windows.Select(window => window.Label));
        Assert.Equal(1, set.MixedLabelWindows);
    }

    [Fact]
    public void CreateWindows_OneUnlabelledSample_SkipsWindow()
    {
        var recording = TestRecordings.Ramp("r", ["eda"], 40, 10);
        var labels = Labels(40, (0, 40, 1));
        labels[25] = Unlabelled;
        var task = new SampleLabelTask(["rest", "pain"], new Dictionary<string, int[]> { ["r"] = labels }, 2.0);

        var set = task.CreateWindows([recording]);

        Assert.Equal([0L], set.Windows.Select(window => window.StartSample));
        Assert.Equal(1, set.MixedLabelWindows);
    }

    [Fact]
    public void CreateWindows_ExcludedClass_CountedNotMixed()
    {
        var recording = TestRecordings.Ramp("r", ["eda"], 40, 10);
        var labels = Labels(40, (0, 20, Excluded), (20, 40, 0));
        var task = new SampleLabelTask(["rest", "pain"], new Dictionary<string, int[]> { ["r"] = labels }, 2.0);

        var set = task.CreateWindows([recording]);

        Assert.Equal([20L], set.Windows.Select(window => window.StartSample));
        Assert.Equal(1, set.ExcludedItems);
        Assert.Equal(0, set.MixedLabelWindows);
    }

    [Fact]
    public void CreateWindows_Hop_CutsOverlappingGrid()
    {
        var recording = TestRecordings.Ramp("r", ["eda"], 50, 10);
        var labels = Labels(50, (0, 50, 1));
        var task = new SampleLabelTask(
            ["rest", "pain"],
            new Dictionary<string, int[]> { ["r"] = labels },
            windowSeconds: 2.0,
            hopSeconds: 1.0);

        var set = task.CreateWindows([recording]);

        Assert.Equal([0L, 10, 20, 30], set.Windows.Select(window => window.StartSample));
    }

    [Fact]
    public void CreateWindows_ShortRecording_OutOfRange()
    {
        var recording = TestRecordings.Ramp("r", ["eda"], 15, 10);
        var task = new SampleLabelTask(
            ["rest", "pain"],
            new Dictionary<string, int[]> { ["r"] = Labels(15, (0, 15, 0)) },
            2.0);

        var set = task.CreateWindows([recording]);

        Assert.Empty(set.Windows);
        Assert.Equal(1, set.OutOfRangeWindows);
    }

    [Fact]
    public void CreateWindows_LabelCountDiffers_Throws()
    {
        var recording = TestRecordings.Ramp("r", ["eda"], 40, 10);
        var task = new SampleLabelTask(
            ["rest", "pain"],
            new Dictionary<string, int[]> { ["r"] = new int[39] },
            2.0);

        var error = Assert.Throws<ArgumentException>(() => task.CreateWindows([recording]));

        Assert.Contains("39 sample labels", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void CreateWindows_RecordingWithoutLabels_Throws()
    {
        var recording = TestRecordings.Ramp("other", ["eda"], 40, 10);
        var task = new SampleLabelTask(
            ["rest", "pain"],
            new Dictionary<string, int[]> { ["r"] = new int[40] },
            2.0);

        var error = Assert.Throws<ArgumentException>(() => task.CreateWindows([recording]));

        Assert.Contains("'other'", error.Message, StringComparison.Ordinal);
    }

    private static int[] Labels(int length, params (int Start, int End, int Label)[] runs)
    {
        var labels = new int[length];
        Array.Fill(labels, Unlabelled);
        foreach (var (start, end, label) in runs)
        {
            Array.Fill(labels, label, start, end - start);
        }

        return labels;
    }
}
