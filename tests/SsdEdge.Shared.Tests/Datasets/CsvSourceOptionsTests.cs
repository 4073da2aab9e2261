using SsdEdge.Datasets;
using Xunit;

namespace SsdEdge.Tests.Datasets;

public sealed class CsvSourceOptionsTests
{
    [Fact]
    public void Parse_AllParameters_SetsLayoutAndLabels()
    {
        using var folder = new TempFolder();

        var options = Parse(
            $"csv:{folder.Path}?rate=100&subject=^(s\\d+)_&columns=eda:EDA_uS,ecg:ECG_mV"
            + "&labels=column:state&classes=rest,pain&hop=2.5&delimiter=semicolon");

        Assert.Equal(100.0, options.Layout.SamplingRateHz);
        Assert.Equal("EDA_uS", options.Layout.ChannelColumns!["eda"]);
        Assert.Equal("ECG_mV", options.Layout.ChannelColumns["ecg"]);
        Assert.Equal("state", options.Layout.LabelColumn);
        Assert.Equal(CsvLabelSource.Column, options.Labels);
        Assert.Equal(["rest", "pain"], options.Classes);
        Assert.Equal(2.5, options.HopSeconds);
        Assert.Equal(';', options.Layout.Delimiter);
        Assert.Equal("s07", options.SubjectOf(Path.Combine(folder.Path, "s07_run2.csv")));
    }

    [Fact]
    public void Parse_UnknownParameter_ThrowsListingKnownOnes()
    {
        var error = Assert.Throws<ArgumentException>(() => Parse("csv:x.csv?rate=100&lables=column:state"));

        Assert.Contains("'lables'", error.Message, StringComparison.Ordinal);
        Assert.Contains("labels", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("labels=column:")]
    [InlineData("labels=file")]
    [InlineData("labels=pain")]
    public void Parse_InvalidLabels_ThrowsListingForms(string parameter)
    {
        var error = Assert.Throws<ArgumentException>(() => Parse("csv:x.csv?" + parameter));

        Assert.Contains("labels=column:NAME", error.Message, StringComparison.Ordinal);
        Assert.Contains("labels=file:REGEX", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_FileLabelsWithoutGroup_Throws()
    {
        var error = Assert.Throws<ArgumentException>(() => Parse("csv:x.csv?labels=file:_pain\\.csv$"));

        Assert.Contains("0 capture groups", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_FileLabelsInvalidRegex_Throws()
    {
        var error = Assert.Throws<ArgumentException>(() => Parse("csv:x.csv?labels=file:_(pain"));

        Assert.Contains("not a valid regular expression", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_ClassesWithoutLabels_Throws()
    {
        var error = Assert.Throws<ArgumentException>(() => Parse("csv:x.csv?classes=rest,pain"));

        Assert.Contains("labels=column:NAME", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("classes=pain")]
    [InlineData("classes=rest,,pain")]
    [InlineData("classes=pain,pain")]
    public void Parse_InvalidClasses_Throws(string parameter)
    {
        Assert.Throws<ArgumentException>(() => Parse("csv:x.csv?labels=column:state&" + parameter));
    }

    [Theory]
    [InlineData("columns=eda")]
    [InlineData("columns=eda:")]
    [InlineData("columns=:EDA")]
    [InlineData("columns=eda:A,eda:B")]
    public void Parse_MalformedColumns_Throws(string parameter)
    {
        var error = Assert.Throws<ArgumentException>(() => Parse("csv:x.csv?" + parameter));

        Assert.Contains("columns=", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("hop=0")]
    [InlineData("hop=-1")]
    [InlineData("rate=0")]
    public void Parse_NonPositiveNumber_Throws(string parameter)
    {
        var error = Assert.Throws<ArgumentException>(() => Parse("csv:x.csv?" + parameter));

        Assert.Contains("must be positive", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_FolderSubjectWithoutGroup_Throws()
    {
        using var folder = new TempFolder();

        var error = Assert.Throws<ArgumentException>(() => Parse($"csv:{folder.Path}?subject=s01"));

        Assert.Contains("exactly one", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_FolderSubjectTwoGroups_Throws()
    {
        using var folder = new TempFolder();

        var error = Assert.Throws<ArgumentException>(() => Parse($"csv:{folder.Path}?subject=^(s)(\\d+)"));

        Assert.Contains("2 capture groups", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void SubjectOf_FileWithFixedId_ReturnsIt()
    {
        var options = Parse("csv:x.csv?subject=volunteer-3");

        Assert.Equal("volunteer-3", options.SubjectOf("x.csv"));
    }

    [Fact]
    public void SubjectOf_Default_FileNameStem()
    {
        var options = Parse("csv:x.csv");

        Assert.Equal("s01_pain", options.SubjectOf("/data/s01_pain.csv.gz"));
    }

    [Fact]
    public void SubjectOf_NoMatch_ThrowsNamingFile()
    {
        using var folder = new TempFolder();
        var options = Parse($"csv:{folder.Path}?subject=^(s\\d+)_");

        var error = Assert.Throws<DataFormatException>(() => options.SubjectOf("/data/pilot.csv"));

        Assert.Equal("/data/pilot.csv", error.Path);
        Assert.Contains("'pilot.csv'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void FileLabelOf_Match_ReturnsGroup()
    {
        var options = Parse("csv:x.csv?labels=file:_(pain|nopain)\\.csv$");

        Assert.Equal("nopain", options.FileLabelOf("/data/s01_nopain.csv"));
        Assert.Equal(CsvLabelSource.FileName, options.Labels);
    }

    private static CsvSourceOptions Parse(string source) => CsvSourceOptions.Parse(RecordingSource.Parse(source));
}
