using SsdEdge.Datasets;
using Xunit;

namespace SsdEdge.Tests.Datasets;

public sealed class RecordingSourceTests
{
    [Theory]
    [InlineData("fmov:subject09_100hz.tsv.gz?bogus=50", "bogus", "fmov")]
    [InlineData("ucr:ucr/ECG200?rat=1", "rat", "ucr")]
    [InlineData("csv:x.csv?rat=100", "rat", "csv")]
    [InlineData("opensignals:plux.txt?rwa=true", "rwa", "opensignals")]
    [InlineData("biosppy:ecg.txt?rate=1000", "rate", "biosppy")]
    [InlineData("physionet-emg:emg.txt?rte=4000", "rte", "physionet-emg")]
    [InlineData("biovid:biovid?taks=five", "taks", "biovid")]
    [InlineData("synthetic:1?subject=1", "subject", "synthetic")]
    public void Parse_UnknownParameter_NamesKeyAndFormat(string source, string key, string format)
    {
        var error = Assert.Throws<ArgumentException>(() => RecordingSource.Parse(source));

        Assert.StartsWith($"Source parameter '{key}' is not known for {format}:;", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_SyntheticTypo_ListsKnownParameters()
    {
        var error = Assert.Throws<ArgumentException>(
            () => RecordingSource.Parse("synthetic:1?subjects=1&duraton=5"));

        Assert.Equal("parameters", error.ParamName);
        Assert.Equal(
            "Source parameter 'duraton' is not known for synthetic:; known parameters: subjects, rate, duration."
            + " (Parameter 'parameters')",
            error.Message);
    }

    [Fact]
    public void Parse_FormatWithoutParameters_SaysNone()
    {
        var error = Assert.Throws<ArgumentException>(() => RecordingSource.Parse("biosppy:ecg.txt?rate=1000"));

        Assert.Contains("biosppy: takes no parameters.", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_SeveralUnknown_NamesEach()
    {
        var error = Assert.Throws<ArgumentException>(
            () => RecordingSource.Parse("synthetic:1?subject=2&rate=128&duraton=5"));

        Assert.StartsWith(
            "Source parameters 'subject', 'duraton' are not known for synthetic:;",
            error.Message,
            StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("ucr:ucr/ECG200?rate=96", "rate")]
    [InlineData("csv:x.csv?rate=100&time=t&timeunit=0.001&delimiter=comma&header=true&subject=s01"
        + "&columns=eda:EDA&labels=column:state&classes=rest,pain&hop=2", "hop")]
    [InlineData("opensignals:plux.txt?raw=true", "raw")]
    [InlineData("physionet-emg:emg.txt?rate=4000", "rate")]
    [InlineData("biovid:biovid?task=five", "task")]
    [InlineData("synthetic:1?subjects=2&rate=128&duration=30", "duration")]
    [InlineData("synthetic:1?Duration=30", "duration")]
    public void Parse_DocumentedParameters_Accepted(string source, string key)
    {
        var parsed = RecordingSource.Parse(source);

        Assert.True(parsed.Parameters.ContainsKey(key), $"'{key}' missing from {source}");
    }

    [Fact]
    public void Parse_BarePathUnknownParameter_Rejects()
    {
        using var folder = new TempFolder();
        var path = folder.Write("recording.csv", "eda\n1\n");

        var error = Assert.Throws<ArgumentException>(() => RecordingSource.Parse($"{path}?rat=100"));

        Assert.StartsWith("Source parameter 'rat' is not known for csv:;", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Formats))]
    public void ParameterNamesOf_EveryKnownFormat_HasEntry(string format)
    {
        var names = RecordingSource.ParameterNamesOf(format);

        Assert.NotNull(names);
    }

    [Fact]
    public void ParameterNamesOf_UnknownFormat_Throws()
    {
        var error = Assert.Throws<ArgumentException>(() => RecordingSource.ParameterNamesOf("edf"));

        Assert.Contains("'edf'", error.Message, StringComparison.Ordinal);
    }

    public static TheoryData<string> Formats() => new(RecordingSource.KnownFormats);
}
