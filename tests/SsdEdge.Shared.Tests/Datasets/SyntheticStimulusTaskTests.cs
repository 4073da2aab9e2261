using SsdEdge.Datasets;
using SsdEdge.Synthetic;
using Xunit;

namespace SsdEdge.Tests.Datasets;

public sealed class SyntheticStimulusTaskTests
{
    private static readonly SyntheticOptions Options = new()
    {
        Seed = 3,
        SubjectCount = 2,
        SamplingRateHz = 100,
        DurationSeconds = 200,
    };

    [Fact]
    public void CreateWindows_Binary_LeavesOutIntensityTwo()
    {
        var recordings = SyntheticPhysiology.Generate(Options);
        var events = recordings.SelectMany(r => r.Events).ToList();

        var set = new SyntheticStimulusTask().CreateWindows(recordings);

        Assert.Equal(events.Count(e => e.Intensity == 2), set.ExcludedItems);
        Assert.Equal(events.Count(e => e.Intensity >= 3), set.CountByClass()[1]);
        Assert.Equal(events.Count - set.ExcludedItems, set.Windows.Count + set.OutOfRangeWindows);
    }

    [Fact]
    public void CreateWindows_GradedWithRest_AddsRest()
    {
        var recordings = SyntheticPhysiology.Generate(Options);
        var events = recordings.SelectMany(r => r.Events).ToList();

        var set = new SyntheticStimulusTask(SyntheticLabelling.Graded, includeRestWindows: true)
            .CreateWindows(recordings);

        Assert.Equal(5, set.ClassLabels.Count);
        Assert.Equal(2 * events.Count, set.Windows.Count + set.OutOfRangeWindows);
        Assert.Equal(events.Count(e => e.Intensity == 4), set.CountByClass()[4]);
    }
}
