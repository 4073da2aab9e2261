using SsdEdge.Datasets;
using Xunit;

namespace SsdEdge.Tests.Datasets;

public sealed class UcrReaderTests
{
    [Theory]
    [InlineData("ECG200", 100, 100, 96)]
    [InlineData("TwoLeadECG", 23, 1139, 82)]
    public void Read_RealSet_HasPublishedSizes(string name, int train, int test, int length)
    {
        var prefix = Path.Combine(TestData.PathOf("ucr"), name);

        var result = UcrReader.Read(prefix);

        Assert.Equal(train, result.Recordings.Count(r => r.Split == "train"));
        Assert.Equal(test, result.Recordings.Count(r => r.Split == "test"));
        Assert.All(result.Recordings, r => Assert.Equal(length, r.Length));
        Assert.Equal(2, result.Recordings.Select(r => r.Label).Distinct().Count());
        Assert.All(result.Recordings, r => Assert.Equal(UcrReader.DefaultNominalRateHz, r.SamplingRateHz));
        Assert.Empty(result.Problems);
    }

    [Fact]
    public void Read_RowWithNaNOrOtherLength_IsSkippedAndReported()
    {
        using var folder = new TempFolder();
        folder.Write("Toy_TRAIN.tsv", "1\t0.1\t0.2\t0.3\n2\t0.1\tNaN\t0.3\n1\t0.5\t0.6\n");
        folder.Write("Toy_TEST.tsv", "2\t1.0\t2.0\t3.0\r\n1.0\t4\t5\t6\r\n");

        var result = UcrReader.Read(Path.Combine(folder.Path, "Toy"));

        Assert.Equal(3, result.Recordings.Count);
        Assert.Equal([2, 3], result.Problems.Select(p => p.Line));
        Assert.Equal("1", result.Recordings[^1].Label);
        Assert.Equal("test", result.Recordings[^1].Split);
    }

    [Fact]
    public void Read_MissingTestFile_RaisesFileNotFound()
    {
        using var folder = new TempFolder();
        folder.Write("Toy_TRAIN.tsv", "1\t0.1\t0.2\n");

        var error = Assert.Throws<FileNotFoundException>(() => UcrReader.Read(Path.Combine(folder.Path, "Toy")));

        Assert.Contains("Toy_TEST.tsv", error.Message, StringComparison.Ordinal);
    }
}
