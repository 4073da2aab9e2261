using SsdEdge.Trainer.Reporting;
using Xunit;

namespace SsdEdge.Trainer.Tests.Reporting;

public sealed class ProgressBarTests
{
    private static BatchProgressInfo Info(int epoch, int batch, double loss = 0.5, double seconds = 10) =>
        new(epoch, Epochs: 2, batch, Batches: 4, loss, WindowsPerSecond: 1234.4, TimeSpan.FromSeconds(seconds));

    [Fact]
    public void Format_HalfEpoch_ShowsAllParts()
    {
        var bar = new ProgressBar(TextWriter.Null, interactive: true, barWidth: 10);

        // Batch 2 of 4 in epoch 1 of 2: 2 of 8 batches in 20 s, so 6 batches or 60 s remain.
        var line = bar.Format(Info(epoch: 1, batch: 2, loss: 0.69314, seconds: 20));

        Assert.Equal("epoch 1/2 [#####-----] batch 2/4 loss 0.6931 1234 windows/s ETA 00:01:00", line);
    }

    [Fact]
    public void Format_LongRun_EtaInHours()
    {
        var bar = new ProgressBar(TextWriter.Null, interactive: true);

        // 1 of 8 batches took 3600 s: 7 hours remain.
        var line = bar.Format(Info(epoch: 1, batch: 1, seconds: 3600));

        Assert.EndsWith("ETA 07:00:00", line, StringComparison.Ordinal);
    }

    [Fact]
    public void Format_NoTimeYet_EtaUnknown()
    {
        var bar = new ProgressBar(TextWriter.Null, interactive: true);

        var line = bar.Format(Info(epoch: 1, batch: 0, seconds: 0));

        Assert.EndsWith("ETA --:--:--", line, StringComparison.Ordinal);
    }

    [Fact]
    public void Format_NaNLoss_SaysNotFinite()
    {
        var bar = new ProgressBar(TextWriter.Null, interactive: true);

        var line = bar.Format(Info(epoch: 1, batch: 1, loss: double.NaN));

        Assert.Contains("loss not finite", line, StringComparison.Ordinal);
        Assert.DoesNotContain("NaN", line, StringComparison.Ordinal);
    }

    [Fact]
    public void Report_Interactive_RedrawsOneLine()
    {
        using var output = new StringWriter();
        var bar = new ProgressBar(output, interactive: true);

        bar.Report(Info(epoch: 1, batch: 1));
        bar.Report(Info(epoch: 1, batch: 2));
        var text = output.ToString();

        Assert.Equal(2, text.Count(character => character == '\r'));
        Assert.DoesNotContain('\n', text);
        Assert.Contains("batch 2/4", text[text.LastIndexOf('\r')..], StringComparison.Ordinal);
    }

    [Fact]
    public void Report_InteractiveShorterLine_PadsOverPrevious()
    {
        using var output = new StringWriter();
        var bar = new ProgressBar(output, interactive: true);
        var longLine = bar.Format(Info(epoch: 1, batch: 1, loss: double.NaN));

        bar.Report(Info(epoch: 1, batch: 1, loss: double.NaN));
        bar.Report(Info(epoch: 1, batch: 2));
        var text = output.ToString();

        Assert.Equal(longLine.Length, text[(text.LastIndexOf('\r') + 1)..].Length);
    }

    [Fact]
    public void Report_NonInteractive_OneLinePerEpoch()
    {
        using var output = new StringWriter();
        var bar = new ProgressBar(output, interactive: false);

        for (var epoch = 1; epoch <= 2; epoch++)
        {
            for (var batch = 1; batch <= 4; batch++)
            {
                bar.Report(Info(epoch, batch));
            }
        }

        var lines = output.ToString().Split(Environment.NewLine, StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(2, lines.Length);
        Assert.StartsWith("epoch 1/2 [", lines[0], StringComparison.Ordinal);
        Assert.StartsWith("epoch 2/2 [", lines[1], StringComparison.Ordinal);
        Assert.DoesNotContain('\r', output.ToString());
    }

    [Fact]
    public void WriteLine_Interactive_ReplacesProgressLine()
    {
        using var output = new StringWriter();
        var bar = new ProgressBar(output, interactive: true);
        bar.Report(Info(epoch: 1, batch: 4));

        bar.WriteLine("epoch 1/2: train loss 0.5000");
        bar.Report(Info(epoch: 2, batch: 1));
        var lines = output.ToString().Split(Environment.NewLine);

        // The message overwrites the progress line from its start and ends it; the next progress
        // line starts below.
        Assert.Equal(2, lines.Length);
        var overwritten = lines[0][(lines[0].LastIndexOf('\r') + 1)..];
        Assert.StartsWith("epoch 1/2: train loss 0.5000", overwritten, StringComparison.Ordinal);
        Assert.StartsWith("\repoch 2/2 [", lines[1], StringComparison.Ordinal);
    }

    [Fact]
    public void Complete_Interactive_EndsLine()
    {
        using var output = new StringWriter();
        var bar = new ProgressBar(output, interactive: true);
        bar.Report(Info(epoch: 2, batch: 4));

        bar.Complete();
        bar.Complete();

        Assert.EndsWith(Environment.NewLine, output.ToString(), StringComparison.Ordinal);
        Assert.Single(output.ToString().Split(Environment.NewLine, StringSplitOptions.RemoveEmptyEntries));
    }

    [Theory]
    [InlineData(0, 1)]
    [InlineData(3, 1)]
    [InlineData(1, 5)]
    [InlineData(1, -1)]
    public void Report_OutOfRange_Throws(int epoch, int batch)
    {
        var bar = new ProgressBar(TextWriter.Null, interactive: false);

        Assert.Throws<ArgumentOutOfRangeException>(() => bar.Report(Info(epoch, batch)));
    }
}
