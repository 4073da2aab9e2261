using System.Globalization;
using System.Text;
using SsdEdge.Datasets;
using Xunit;

namespace SsdEdge.Tests.Datasets;

/// <summary><see cref="DatasetCatalog.Open"/> on <c>csv:</c> folders: the labelling task it picks.</summary>
public sealed class DatasetCatalogCsvTests
{
    // At 10 Hz a 5.5 s window is 55 samples; 110 rows give two windows without overlap.
    private const int WindowSamples = 55;

    [Fact]
    public void Open_ColumnLabels_SortedClassesAndWindowLabels()
    {
        using var folder = new TempFolder();
        folder.Write("s01.csv", Labelled(2 * WindowSamples, t => t < WindowSamples ? "rest" : "pain"));
        folder.Write("s02.csv", Labelled(2 * WindowSamples, t => t < WindowSamples ? "pain" : "rest"));

        var descriptor = DatasetCatalog.Open($"csv:{folder.Path}?rate=10&labels=column:state");
        var windows = descriptor.Task!.CreateWindows(descriptor.Recordings);

        Assert.IsType<SampleLabelTask>(descriptor.Task);
        Assert.Equal(["pain", "rest"], windows.ClassLabels);
        Assert.Equal([1, 0, 0, 1], windows.Windows.Select(window => window.Label));
        Assert.Equal(["s01", "s01", "s02", "s02"], windows.Windows.Select(window => window.Recording.SubjectId));
        Assert.Equal(["eda"], descriptor.Channels);
    }

    [Fact]
    public void Open_ColumnLabelsMixedWindow_Counted()
    {
        using var folder = new TempFolder();
        folder.Write("s01.csv", Labelled(2 * WindowSamples, t => t < 30 ? "rest" : "pain"));

        var descriptor = DatasetCatalog.Open($"csv:{folder.Path}?rate=10&labels=column:state");
        var windows = descriptor.Task!.CreateWindows(descriptor.Recordings);

        Assert.Equal(1, windows.MixedLabelWindows);
        Assert.Equal([0], windows.Windows.Select(window => window.Label));
    }

    [Fact]
    public void Open_ClassesGiven_KeepsOrderAndExcludesOthers()
    {
        using var folder = new TempFolder();
        folder.Write(
            "s01.csv",
            Labelled(3 * WindowSamples, t => (t / WindowSamples) switch { 0 => "rest", 1 => "baseline", _ => "pain" }));

        var descriptor = DatasetCatalog.Open($"csv:{folder.Path}?rate=10&labels=column:state&classes=rest,pain");
        var windows = descriptor.Task!.CreateWindows(descriptor.Recordings);

        Assert.Equal(["rest", "pain"], windows.ClassLabels);
        Assert.Equal([0, 1], windows.Windows.Select(window => window.Label));
        Assert.Equal(1, windows.ExcludedItems);
    }

    [Fact]
    public void Open_ClassNeverOccurs_ThrowsListingFound()
    {
        using var folder = new TempFolder();
        folder.Write("s01.csv", Labelled(WindowSamples, t => t < 20 ? "rest" : "pain"));

        var error = Assert.Throws<ArgumentException>(
            () => DatasetCatalog.Open($"csv:{folder.Path}?rate=10&labels=column:state&classes=rest,Pain"));

        Assert.Contains("'Pain'", error.Message, StringComparison.Ordinal);
        Assert.Contains("pain, rest", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Open_ColumnWithOneClass_Throws()
    {
        using var folder = new TempFolder();
        folder.Write("s01.csv", Labelled(WindowSamples, _ => "pain"));

        var error = Assert.Throws<ArgumentException>(
            () => DatasetCatalog.Open($"csv:{folder.Path}?rate=10&labels=column:state"));

        Assert.Contains("at least two", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Open_FileLabels_ClassFromFileName()
    {
        using var folder = new TempFolder();
        foreach (var name in new[] { "s01_nopain.csv", "s01_pain.csv", "s02_nopain.csv", "s02_pain.csv" })
        {
            folder.Write(name, Signal(2 * WindowSamples));
        }

        var descriptor = DatasetCatalog.Open(
            $"csv:{folder.Path}?rate=10&subject=^(s\\d+)_&labels=file:_(pain|nopain)\\.csv$");
        var windows = descriptor.Task!.CreateWindows(descriptor.Recordings);

        Assert.IsType<RecordingLabelTask>(descriptor.Task);
        Assert.Equal(["nopain", "pain"], windows.ClassLabels);
        Assert.Equal([0, 0, 1, 1, 0, 0, 1, 1], windows.Windows.Select(window => window.Label));
        Assert.Equal(["s01", "s02"], descriptor.Recordings.Select(r => r.SubjectId).Distinct());
    }

    [Fact]
    public void Open_FileLabelMisses_ThrowsNamingFile()
    {
        using var folder = new TempFolder();
        folder.Write("s01_pain.csv", Signal(WindowSamples));
        var odd = folder.Write("s01_pilot.csv", Signal(WindowSamples));

        var error = Assert.Throws<DataFormatException>(
            () => DatasetCatalog.Open($"csv:{folder.Path}?rate=10&labels=file:_(pain|nopain)\\.csv$"));

        Assert.Equal(odd, error.Path);
    }

    [Fact]
    public void Open_NoLabelsNoMarker_NoTask()
    {
        using var folder = new TempFolder();
        folder.Write("s01.csv", Signal(WindowSamples));

        var descriptor = DatasetCatalog.Open($"csv:{folder.Path}?rate=10");

        Assert.Null(descriptor.Task);
        Assert.Single(descriptor.Recordings);
    }

    [Fact]
    public void Open_MarkerColumnWithoutLabels_OnsetTask()
    {
        using var folder = new TempFolder();
        folder.Write("s01.csv", "eda,marker\n1,5\n1,5\n1,0\n");

        var descriptor = DatasetCatalog.Open($"csv:{folder.Path}?rate=10");

        Assert.IsType<OnsetResponseTask>(descriptor.Task);
    }

    [Fact]
    public void Open_OnsetsWithoutMarker_Throws()
    {
        using var folder = new TempFolder();
        folder.Write("s01.csv", Signal(WindowSamples));

        var error = Assert.Throws<ArgumentException>(
            () => DatasetCatalog.Open($"csv:{folder.Path}?rate=10&labels=onsets"));

        Assert.Contains("labels=column:NAME", error.Message, StringComparison.Ordinal);
    }

    private static string Labelled(int rows, Func<int, string> label)
    {
        var text = new StringBuilder("eda,state\n");
        for (var t = 0; t < rows; t++)
        {
            text.Append(CultureInfo.InvariantCulture, $"{1 + (0.01 * t)},{label(t)}\n");
        }

        return text.ToString();
    }

    private static string Signal(int rows)
    {
        var text = new StringBuilder("eda\n");
        for (var t = 0; t < rows; t++)
        {
            text.Append(CultureInfo.InvariantCulture, $"{1 + (0.01 * t)}\n");
        }

        return text.ToString();
    }
}
