using SsdEdge.Datasets;
using Xunit;

namespace SsdEdge.Tests.Datasets;

public sealed class BioVidTaskTests
{
    [Theory]
    [InlineData(BioVidClassScheme.BaselineVsPa4, 8, 12, new[] { 4, 4 })]
    [InlineData(BioVidClassScheme.BaselineVsAnyPain, 20, 0, new[] { 4, 16 })]
    [InlineData(BioVidClassScheme.FiveClass, 20, 0, new[] { 4, 4, 4, 4, 4 })]
    public void CreateWindows_FakeTree_CountsPerScheme(
        BioVidClassScheme scheme,
        int windows,
        int excluded,
        int[] perClass)
    {
        using var folder = new TempFolder();
        var recordings = BioVidReader.Read(BioVidFakeTree.Write(folder)).Recordings;

        var set = new BioVidTask(scheme).CreateWindows(recordings);

        Assert.Equal(windows, set.Windows.Count);
        Assert.Equal(excluded, set.ExcludedItems);
        Assert.Equal(perClass, set.CountByClass());
        Assert.All(set.Windows, w => Assert.Equal(2816, w.RawSamples));
    }

    [Fact]
    public void CreateWindows_ShortFile_CountsOutOfRange()
    {
        using var folder = new TempFolder();
        var recordings = BioVidReader.Read(BioVidFakeTree.Write(folder, rows: 100)).Recordings;

        var set = new BioVidTask(BioVidClassScheme.FiveClass).CreateWindows(recordings);

        Assert.Empty(set.Windows);
        Assert.Equal(20, set.OutOfRangeWindows);
    }

    [Theory]
    [InlineData(BioVidClassScheme.BaselineVsPa4, "PA2", -1)]
    [InlineData(BioVidClassScheme.BaselineVsPa4, "PA4", 1)]
    [InlineData(BioVidClassScheme.BaselineVsAnyPain, "PA1", 1)]
    [InlineData(BioVidClassScheme.FiveClass, "PA3", 3)]
    [InlineData(BioVidClassScheme.FiveClass, "XX", -1)]
    public void LabelOf_Class_MapsPerScheme(BioVidClassScheme scheme, string bioVidClass, int label)
    {
        Assert.Equal(label, new BioVidTask(scheme).LabelOf(bioVidClass));
    }
}
