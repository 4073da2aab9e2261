using SsdEdge.Datasets;
using Xunit;

namespace SsdEdge.Tests.Datasets;

public sealed class RecordingLabelTaskTests
{
    [Fact]
    public void CreateWindows_Labelled_GridOfTheirClass()
    {
        var pain = TestRecordings.Ramp("s01_pain", ["eda"], 45, 10, label: "pain");
        var rest = TestRecordings.Ramp("s01_rest", ["eda"], 40, 10, label: "rest");
        var task = new RecordingLabelTask(["pain", "rest"], windowSeconds: 2.0);

        var set = task.CreateWindows([pain, rest]);

        Assert.Equal([0L, 20, 0, 20], set.Windows.Select(window => window.StartSample));
        Assert.Equal([0, 0, 1, 1], set.Windows.Select(window => window.Label));
        Assert.Equal(["s01_pain", "s01_pain", "s01_rest", "s01_rest"], set.Windows.Select(window => window.Recording.Id));
    }

    [Fact]
    public void CreateWindows_UnusedOrMissingClass_ExcludesRecording()
    {
        var other = TestRecordings.Ramp("a", ["eda"], 40, 10, label: "baseline");
        var unlabelled = TestRecordings.Ramp("b", ["eda"], 40, 10);
        var pain = TestRecordings.Ramp("c", ["eda"], 40, 10, label: "pain");
        var task = new RecordingLabelTask(["rest", "pain"], windowSeconds: 2.0);

        var set = task.CreateWindows([other, unlabelled, pain]);

        Assert.Equal(2, set.ExcludedItems);
        Assert.All(set.Windows, window => Assert.Equal("c", window.Recording.Id));
    }

    [Fact]
    public void CreateWindows_ShortRecording_CountedOutOfRange()
    {
        var shortRecording = TestRecordings.Ramp("a", ["eda"], 19, 10, label: "pain");
        var task = new RecordingLabelTask(["rest", "pain"], windowSeconds: 2.0);

        var set = task.CreateWindows([shortRecording]);

        Assert.Empty(set.Windows);
        Assert.Equal(1, set.OutOfRangeWindows);
    }

    [Fact]
    public void CreateWindows_Hop_OverlappingWindows()
    {
        var pain = TestRecordings.Ramp("a", ["eda"], 40, 10, label: "pain");
        var task = new RecordingLabelTask(["rest", "pain"], windowSeconds: 2.0, hopSeconds: 0.5);

        var set = task.CreateWindows([pain]);

        Assert.Equal([0L, 5, 10, 15, 20], set.Windows.Select(window => window.StartSample));
    }
}
