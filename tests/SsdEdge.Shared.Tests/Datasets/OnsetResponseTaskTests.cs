using SsdEdge.Datasets;
using SsdEdge.Signals;
using Xunit;

namespace SsdEdge.Tests.Datasets;

public sealed class OnsetResponseTaskTests
{
    [Fact]
    public void CreateWindows_OnsetsNearEdges_CountsSkips()
    {
        // 100 Hz, 30 s; 5.5 s windows are 550 samples, the rest window ends 50 samples before onset.
        RecordingEvent[] events = [new(300, "angry"), new(1000, "happy"), new(2700, "neutral")];
        var recording = TestRecordings.Ramp("r", ["eda"], 3000, 100, events);

        var set = new OnsetResponseTask().CreateWindows([recording]);

        // Onset 300: rest would start at -300 (skipped). Onset 2700: response would end at 3250 (skipped).
        Assert.Equal(2, set.OutOfRangeWindows);
        Assert.Equal(4, set.Windows.Count);
        Assert.Equal([300L, 400, 1000, 2100], set.Windows.Select(w => w.StartSample));
        Assert.Equal([1, 0, 1, 0], set.Windows.Select(w => w.Label));
        Assert.All(set.Windows, w => Assert.Equal(550, w.RawSamples));
        Assert.Equal(["rest", "response"], set.ClassLabels);
    }

    [Fact]
    public void CreateWindows_EventLabelFilter_ExcludesOtherEvents()
    {
        RecordingEvent[] events = [new(1000, "angry"), new(2000, "happy")];
        var recording = TestRecordings.Ramp("r", ["eda"], 3000, 100, events);

        var set = new OnsetResponseTask(eventLabels: ["angry"]).CreateWindows([recording]);

        Assert.Equal(2, set.Windows.Count);
        Assert.Equal(1, set.ExcludedItems);
    }

    [Fact]
    public void CreateWindows_Fmov_TwoPerFittingOnset()
    {
        var recordings = FmovReader.Read(TestData.PathOf("fmov")).Recordings;

        var set = new OnsetResponseTask().CreateWindows(recordings);

        // 20 subjects x 12 onsets x 2 windows, minus those cut off by the recording's ends.
        Assert.Equal(480, set.Windows.Count + set.OutOfRangeWindows);
        var expectedOut = recordings.Sum(r => r.Events.Count(e => e.SampleIndex - 600 < 0)
            + r.Events.Count(e => e.SampleIndex + 550 > r.Length));
        Assert.Equal(expectedOut, set.OutOfRangeWindows);
        var counts = set.CountByClass();
        Assert.Equal(240 - recordings.Sum(r => r.Events.Count(e => e.SampleIndex - 600 < 0)), counts[0]);
        Assert.All(set.Windows, w => Assert.InRange(w.StartSample + w.RawSamples, w.RawSamples, w.Recording.Length));
    }
}
