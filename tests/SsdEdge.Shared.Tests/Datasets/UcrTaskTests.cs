using SsdEdge.Datasets;
using Xunit;

namespace SsdEdge.Tests.Datasets;

public sealed class UcrTaskTests
{
    [Fact]
    public void CreateWindows_Ecg200_OnePerSeries()
    {
        var recordings = UcrReader.Read(Path.Combine(TestData.PathOf("ucr"), "ECG200")).Recordings;

        var set = new UcrTask().CreateWindows(recordings);

        Assert.Equal(["-1", "1"], set.ClassLabels);
        Assert.Equal(200, set.Windows.Count);
        Assert.All(set.Windows, w => Assert.Equal(96, w.RawSamples));
        Assert.Equal(100, set.Windows.Count(w => w.Recording.Split == "test"));
    }

    [Fact]
    public void ClassLabelsOf_NumericLabels_SortsNumerically()
    {
        string[] labels = ["10", "2", "-3"];
        var recordings = labels
            .Select((label, i) => TestRecordings.Ramp($"r{i}", ["ecg"], 4, 1, label: label))
            .ToList();

        Assert.Equal(["-3", "2", "10"], UcrTask.ClassLabelsOf(recordings));
    }
}
