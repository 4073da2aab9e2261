using System.Text.Json;
using SsdEdge.EdgeAgent.Output;
using SsdEdge.EdgeAgent.Pipeline;
using SsdEdge.EdgeAgent.Tests.Support;
using SsdEdge.Preprocessing;
using Xunit;

namespace SsdEdge.EdgeAgent.Tests.Output;

public sealed class JsonLinesWindowSinkTests : IDisposable
{
    private readonly TempDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    [Fact]
    public void Write_ScoredWindow_WritesAllFields()
    {
        var path = _directory.File("windows.jsonl");
        using (var sink = new JsonLinesWindowSink(path))
        {
            float[] probabilities = [0.123456789f, 0.876543211f];
            sink.Write(new WindowResult(
                "subject09", 1100, 11.0, WindowOutcome.Scored, default, null, probabilities, true, 2.5));
        }

        using var line = JsonDocument.Parse(Assert.Single(File.ReadAllLines(path)));
        var root = line.RootElement;
        Assert.Equal("subject09", root.GetProperty("device").GetString());
        Assert.Equal(1100, root.GetProperty("endSample").GetInt64());
        Assert.Equal(11.0, root.GetProperty("endSeconds").GetDouble());
        Assert.Equal("scored", root.GetProperty("outcome").GetString());
        Assert.True(root.GetProperty("accepted").GetBoolean());
        Assert.Equal(0, root.GetProperty("qualityIssues").GetArrayLength());
        Assert.Equal(0.123456789f, root.GetProperty("probabilities")[0].GetSingle());
        Assert.Equal(0.876543211f, root.GetProperty("probabilities")[1].GetSingle());
        Assert.True(root.GetProperty("positive").GetBoolean());
        Assert.Equal(2.5, root.GetProperty("latencyMs").GetDouble());
    }

    [Fact]
    public void Write_RejectedWindow_WritesIssuesAndNulls()
    {
        var path = _directory.File("windows.jsonl");
        var quality = new QualityReport(QualityIssues.NonFinite | QualityIssues.Clipping, 0, 3, 0);
        using (var sink = new JsonLinesWindowSink(path))
        {
            sink.Write(new WindowResult(
                "d", 500, 5.0, WindowOutcome.RejectedByQualityGate, quality, "eda", [], null, null));
        }

        using var line = JsonDocument.Parse(Assert.Single(File.ReadAllLines(path)));
        var root = line.RootElement;
        Assert.False(root.GetProperty("accepted").GetBoolean());
        Assert.Equal("rejectedByQualityGate", root.GetProperty("outcome").GetString());
        var issues = root.GetProperty("qualityIssues").EnumerateArray().Select(issue => issue.GetString());
        Assert.Equal(["nonFinite", "clipping"], issues);
        Assert.Equal(JsonValueKind.Null, root.GetProperty("probabilities").ValueKind);
        Assert.Equal(JsonValueKind.Null, root.GetProperty("positive").ValueKind);
        Assert.Equal(JsonValueKind.Null, root.GetProperty("latencyMs").ValueKind);
    }

    [Fact]
    public void Write_ThreeWindows_ReadableBeforeDispose()
    {
        var path = _directory.File("windows.jsonl");
        using var sink = new JsonLinesWindowSink(path);

        for (var i = 1; i <= 3; i++)
        {
            sink.Write(new WindowResult(
                "d", i * 100, i, WindowOutcome.Scored, default, null, [0.5f, 0.5f], true, 1));
        }

        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        using var reader = new StreamReader(stream);
        var lines = reader.ReadToEnd().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(3, lines.Length);
    }
}
