using SsdEdge.EdgeAgent.Alerts;
using SsdEdge.EdgeAgent.Output;
using SsdEdge.EdgeAgent.Pipeline;
using SsdEdge.EdgeAgent.Tests.Support;
using SsdEdge.Preprocessing;
using Xunit;

namespace SsdEdge.EdgeAgent.Tests.Output;

public sealed class ConsoleWindowSinkTests
{
    [Fact]
    public void FormatWindow_Scored_PrintsAllFields()
    {
        var result = new WindowResult(
            "subject09", 1100, 11.0, WindowOutcome.Scored, default, null, [0.25f, 0.75f], true, 3.14159);

        var line = ConsoleWindowSink.FormatWindow(result, TestModels.EdaContract());

        Assert.Equal("subject09 11.000s BL1=0.250000 PA4=0.750000 quality=ok above=yes latency=3.142ms", line);
    }

    [Fact]
    public void FormatWindow_Rejected_PrintsIssuesAndChannel()
    {
        var quality = new QualityReport(QualityIssues.FlatLine | QualityIssues.LowVariance, 0, 0, 0);
        var result = new WindowResult(
            "subject09", 1234, 12.34, WindowOutcome.RejectedByQualityGate, quality, "eda", [], null, null);

        var line = ConsoleWindowSink.FormatWindow(result, TestModels.EdaContract());

        Assert.Equal("subject09 12.340s skipped quality=FlatLine, LowVariance channel=eda", line);
    }

    [Fact]
    public void FormatSummary_WithLatency_PrintsEveryTotal()
    {
        var summary = new RunSummary(
            1,
            15000,
            0,
            140,
            12,
            5,
            new Dictionary<string, long> { ["FlatLine"] = 5 },
            2.5,
            4.25);

        var text = ConsoleWindowSink.FormatSummary(summary, TestModels.EdaContract());

        Assert.Contains("samples in: 15000 per channel", text, StringComparison.Ordinal);
        Assert.Contains("windows scored: 140 (12 PA4)", text, StringComparison.Ordinal);
        Assert.Contains("windows skipped: 5 (FlatLine 5)", text, StringComparison.Ordinal);
        Assert.Contains("inference latency: median 2.500 ms, p99 4.250 ms", text, StringComparison.Ordinal);
    }

    [Fact]
    public void FormatSummary_RejectedInput_PrintsTotalAndCauses()
    {
        var summary = new RunSummary(1, 6000, 0, 59, 7, 0, new Dictionary<string, long>(), 1.0, 2.0)
        {
            InputRejectedByCause = new Dictionary<string, long> { ["InvalidPayload"] = 5, ["WrongFieldCount"] = 2 },
        };

        var text = ConsoleWindowSink.FormatSummary(summary, TestModels.EdaContract());

        Assert.Contains("input rejected: 7 (InvalidPayload 5, WrongFieldCount 2)", text, StringComparison.Ordinal);
    }

    [Fact]
    public void FormatSummary_NothingRejected_PrintsNoRejectionLine()
    {
        var summary = new RunSummary(1, 6000, 0, 59, 7, 0, new Dictionary<string, long>(), 1.0, 2.0);

        var text = ConsoleWindowSink.FormatSummary(summary, TestModels.EdaContract());

        Assert.DoesNotContain("input rejected", text, StringComparison.Ordinal);
    }

    [Fact]
    public void FormatSummary_ResponseModel_LabelsPositiveClass()
    {
        var contract = TestModels.EdaContract() with { ClassLabels = ["baseline", "response"] };
        var summary = new RunSummary(1, 6000, 0, 59, 7, 0, new Dictionary<string, long>(), 1.0, 2.0);

        var text = ConsoleWindowSink.FormatSummary(summary, contract);

        Assert.Contains("windows scored: 59 (7 response)", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Complete_NothingReceived_WritesNoSummary()
    {
        using var writer = new StringWriter();
        var sink = new ConsoleWindowSink(writer, TestModels.EdaContract());

        sink.Complete(new RunSummary(0, 0, 0, 0, 0, 0, new Dictionary<string, long>(), null, null));

        Assert.Equal("", writer.ToString());
    }

    [Fact]
    public void Complete_SamplesReceived_WritesSummary()
    {
        using var writer = new StringWriter();
        var sink = new ConsoleWindowSink(writer, TestModels.EdaContract());

        sink.Complete(new RunSummary(1, 300, 0, 0, 0, 0, new Dictionary<string, long>(), null, null));

        Assert.StartsWith("summary:", writer.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Write_Scored_WritesOneLine()
    {
        using var writer = new StringWriter();
        var sink = new ConsoleWindowSink(writer, TestModels.EdaContract());

        sink.Write(new WindowResult(
            "d", 10, 0.1, WindowOutcome.Scored, default, null, [0.9f, 0.1f], false, 1));

        var expected = "d 0.100s BL1=0.900000 PA4=0.100000 quality=ok above=no latency=1.000ms" + Environment.NewLine;
        Assert.Equal(expected, writer.ToString());
    }

    [Fact]
    public void FormatAlert_Raise_PrintsDeviceWindowProbabilityAndId()
    {
        var id = Guid.Parse("0193a0b2-0000-7000-8000-000000000001");
        var alert = new AlertEvent(id, "raise", "wrist-1", "m", 23, 2300, DateTimeOffset.UnixEpoch, 0.912345678, 1);

        var line = ConsoleWindowSink.FormatAlert(alert, TestModels.EdaContract());

        Assert.Equal($"ALERT raised wrist-1 window_end=23.000s PA4=0.912346 id={id}", line);
    }

    [Fact]
    public void OnAlert_Clear_WritesClearedLine()
    {
        using var writer = new StringWriter();
        var sink = new ConsoleWindowSink(writer, TestModels.EdaContract());
        var id = Guid.Parse("0193a0b2-0000-7000-8000-000000000002");

        sink.OnAlert(new AlertEvent(id, "clear", "wrist-1", "m", 41.5, 4150, DateTimeOffset.UnixEpoch, 0.1, 1));

        Assert.Equal($"ALERT cleared wrist-1 window_end=41.500s PA4=0.100000 id={id}" + Environment.NewLine, writer.ToString());
    }
}
